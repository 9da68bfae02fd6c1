-- SPDX-License-Identifier: EUPL-1.2
--[[
  The ledger's two busiest writes, "sending" (before the network call) and "posted". Every write to an
  entry, here and in src/ledger/ledger.ts, adds one to its `rev`: an attempt that read the entry at
  admit can tell at commit whether anything changed it since (the fence, commit-send.lua).
  An empty contentHash leaves the stored one as it is. Both keep the index of entries in doubt
  (includes/doubt.lua) in step: `index` is the publisher×network's set, `key` the entry's offer key.
]]
--- @include "includes/doubt"

local function ledger_rev(ledger)
  return redis.call('HGET', ledger, 'rev') or '0'
end

local function mark_sending(ledger, since, at, text, contentHash, index, key)
  redis.call('HSET', ledger, 'state', 'sending', 'sendingSince', since, 'updatedAt', at, 'text', text)
  if contentHash ~= '' then redis.call('HSET', ledger, 'contentHash', contentHash) end
  -- An operator's mark ("segna come non pubblicato") ends with the next send they asked for.
  redis.call('HDEL', ledger, 'markedBy', 'markedAt')
  redis.call('HINCRBY', ledger, 'attempts', 1)
  redis.call('HINCRBY', ledger, 'rev', 1)
  reindex_doubt(ledger, index, key, at)
end

local function mark_posted(ledger, recent, member, at, remoteId, permalink, contentHash, trim, index, key)
  redis.call('HSET', ledger, 'state', 'posted', 'remoteId', remoteId, 'permalink', permalink, 'postedAt', at, 'updatedAt', at)
  if contentHash ~= '' then redis.call('HSET', ledger, 'contentHash', contentHash) end
  redis.call('HDEL', ledger, 'reason', 'errorClass', 'sendAnyway')
  redis.call('HINCRBY', ledger, 'rev', 1)
  reindex_doubt(ledger, index, key, at)
  redis.call('ZADD', recent, at, member)
  if trim == '1' then redis.call('ZREMRANGEBYRANK', recent, 0, -1001) end
end
