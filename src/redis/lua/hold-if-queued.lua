-- SPDX-License-Identifier: EUPL-1.2
--[[
  hold-if-queued: shows a waiting post as held while its channel is paused (src/ledger/ledger.ts). Only
  a `queued` entry moves: `sending` and `unknown` must stay as they are, or the attempt after resume
  would skip reconciliation.

  KEYS[1] ledger        the (offer, channel) ledger entry
  ARGV[1] at            the caller's clock, for updatedAt
  ARGV[2] reason        why (shown to operators)

  Returns 1 when the entry moved to held, else 0
]]
if redis.call('HGET', KEY.ledger, 'state') ~= 'queued' then return 0 end
redis.call('HSET', KEY.ledger, 'state', 'held', 'updatedAt', ARG.at, 'reason', ARG.reason)
redis.call('HINCRBY', KEY.ledger, 'rev', 1)
return 1
