-- SPDX-License-Identifier: EUPL-1.2
--[[
  finish-post: step 3 of a delivery attempt, after a post the network accepted (or that reconciliation
  found). Settles the slot at the call's end, ledger "posted", the channel's last post time, the
  counter, a wait the answer taught, releases the account lock, and reads the offer's state (it may
  have changed while the post was in flight).

  KEYS[1] ledger        the (offer, channel) ledger entry (hash)
  KEYS[2] recent        the latest posts (sorted set)
  KEYS[3] channelState  the publisher's channel run state (hash)
  KEYS[4] counters      the deployment's counters (hash)
  KEYS[5] offer         the stored offer (hash)
  KEYS[6] lock          the account lock
  KEYS[7] wait          the learned wait the answer taught (account's or app's)
  KEYS[8] doubt         the publisher×network's index of entries in doubt
  KEYS[9+] windows: window

  ARGV[1] now           '' reads Redis TIME (production); a number pins the time (tests)
  ARGV[2] at            the caller's clock: postedAt, lastPostAt and the latest posts' score
  ARGV[3] slot          the slot to settle ('' = none)
  ARGV[4] member        this post's member of the latest posts
  ARGV[5] remoteId      the network's id of the post
  ARGV[6] permalink     the post's address
  ARGV[7] contentHash   the offer's content version ('' keeps the stored one)
  ARGV[8] trim          '1' to trim the latest posts to 1000
  ARGV[9] counterField  the counter to add one to
  ARGV[10] token        the lock token to release ('' keeps the lock)
  ARGV[11] waitForMs    how long the answer said to wait, from now (0 = no wait)
  ARGV[12] key          the entry's offer key (its member in the index)
  ARGV[13+] windows: max, perMs, marginMs

  Returns {offer state, offer contentHash} (nil each when the offer is not stored)
]]
--- @include "includes/clock"
--- @include "includes/lock"
--- @include "includes/waits"
--- @include "includes/windows"
--- @include "includes/ledger"

local now = clock_now(ARG.now)
if ARG.slot ~= '' then settle_windows(WINDOWS, now, now, ARG.slot) end
mark_posted(KEY.ledger, KEY.recent, ARG.member, ARG.at, ARG.remoteId, ARG.permalink, ARG.contentHash, ARG.trim, KEY.doubt, ARG.key)
redis.call('HSET', KEY.channelState, 'lastPostAt', ARG.at)
redis.call('HINCRBY', KEY.counters, ARG.counterField, 1)
local wait_for = tonumber(ARG.waitForMs)
if wait_for > 0 then extend_wait(KEY.wait, now + wait_for, now) end
if ARG.token ~= '' then release_lock(KEY.lock, ARG.token) end
return redis.call('HMGET', KEY.offer, 'state', 'contentHash')
