-- SPDX-License-Identifier: EUPL-1.2
--[[
  ledger-update: any write to a ledger entry outside the attempt's own steps (src/ledger/ledger.ts:
  an error recorded, a state an operator set, a close): the fields set, the fields removed, one more
  `rev` (the fence, commit-send.lua), and the index of entries in doubt kept in step, all at once.

  KEYS[1] ledger        the (offer, channel) ledger entry (hash)
  KEYS[2] doubt         the publisher×network's index of entries in doubt
  ARGV[1] key           the entry's offer key (its member in the index)
  ARGV[2] at            the caller's clock (the index's score when the entry enters doubt)
  ARGV[3] fields        JSON object of the fields to set (strings and numbers)
  ARGV[4] remove        JSON array of the fields to remove

  Returns 1
]]
--- @include "includes/doubt"

local set = cjson.decode(ARG.fields)
local flat = {}
for f, v in pairs(set) do
  flat[#flat + 1] = f
  flat[#flat + 1] = tostring(v)
end
if #flat > 0 then redis.call('HSET', KEY.ledger, unpack(flat)) end
local remove = cjson.decode(ARG.remove)
if #remove > 0 then redis.call('HDEL', KEY.ledger, unpack(remove)) end
redis.call('HINCRBY', KEY.ledger, 'rev', 1)
reindex_doubt(KEY.ledger, KEY.doubt, ARG.key, ARG.at)
return 1
