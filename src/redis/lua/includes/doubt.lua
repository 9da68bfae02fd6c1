-- SPDX-License-Identifier: EUPL-1.2
--[[
  The index of ledger entries in doubt (one sorted set per publisher and network, keys.inDoubt): an
  entry is in doubt while its last outcome is unknown (`sending`, `unknown`), or while it says `posted`
  without the network's id and no operator confirmed it (`markedBy`). Every script that changes an
  entry's state calls this after the change, in the same atomic step, so the index never drifts.
]]
local function reindex_doubt(ledger, index, member, at)
  local f = redis.call('HMGET', ledger, 'state', 'remoteId', 'markedBy')
  local state, remote, marked = f[1], f[2] or '', f[3] or ''
  local doubt = state == 'sending' or state == 'unknown' or (state == 'posted' and remote == '' and marked == '')
  if doubt then
    -- NX: the score stays the time the entry first entered doubt.
    redis.call('ZADD', index, 'NX', at, member)
  else
    redis.call('ZREM', index, member)
  end
end
