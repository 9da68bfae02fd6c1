-- SPDX-License-Identifier: EUPL-1.2
--[[
  The time a script decides by, in epoch milliseconds. Production passes '' and reads the Redis server's
  own clock (TIME): every worker then shares one clock, whatever its machine's clock says. A test that
  drives time itself passes a number (ScriptClock 'caller', src/redis/clock.ts).
]]
local function clock_now(pinned)
  if pinned ~= '' then return tonumber(pinned) end
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
