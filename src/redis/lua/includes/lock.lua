-- SPDX-License-Identifier: EUPL-1.2
--[[
  Token locks (an account's one request in flight, a feed's one poll at a time): a lock holds the token
  of its holder, and only that holder may release it. One that expired and was taken is left alone.
]]
local function holds_lock(key, token)
  return redis.call('GET', key) == token
end

local function release_lock(key, token)
  if redis.call('GET', key) == token then return redis.call('DEL', key) end
  return 0
end
