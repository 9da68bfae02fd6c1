-- SPDX-License-Identifier: EUPL-1.2
--[[
  reindex-doubt: puts one ledger entry written before the index existed into the index of entries in
  doubt, or takes it out, by its state as it is now (the sweeper's one-time catch-up, src/duties/sweeper.ts).
  An entry enters at its last update, so a post long in doubt counts at once.

  KEYS[1] ledger        the (offer, channel) ledger entry (hash)
  KEYS[2] doubt         the publisher×network's index of entries in doubt
  ARGV[1] key           the entry's offer key (its member in the index)
  ARGV[2] at            the caller's clock, when the entry has no updatedAt

  Returns 1 when the entry is in the index after the call, else 0
]]
--- @include "includes/doubt"

if redis.call('EXISTS', KEY.ledger) == 0 then return 0 end
local at = redis.call('HGET', KEY.ledger, 'updatedAt') or ARG.at
reindex_doubt(KEY.ledger, KEY.doubt, ARG.key, at)
if redis.call('ZSCORE', KEY.doubt, ARG.key) then return 1 end
return 0
