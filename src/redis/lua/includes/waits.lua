-- SPDX-License-Identifier: EUPL-1.2
--[[
  Waits the networks taught (429 resets, usage headers, app-wide throttles), one string per account or
  app holding the epoch ms (on the scripts' clock) until which it must not be called.
]]

-- The latest wait among these keys, 0 when none.
local function learned_wait(keys)
  local w = 0
  for _, key in ipairs(keys) do
    local v = tonumber(redis.call('GET', key) or '0')
    if v > w then w = v end
  end
  return w
end

-- Only ever moves a wait later: two answers arriving out of order never shorten it.
local function extend_wait(key, want, now)
  local cur = tonumber(redis.call('GET', key) or '0')
  if want > cur then redis.call('SET', key, want, 'PX', math.max(1, want - now)) end
  return 1
end
