--[[
  An account's sliding-window limits: one sorted set per window (keyed by its max and per), holding
  one member per request scored by when the network saw it. `windows` is the script's WINDOWS list:
  one table per window with its key (`window`) and its `max`, `perMs` and `marginMs`.
]]

-- Takes a slot named `member` in every window and returns 0, or takes none and returns the epoch ms
-- at which one frees up.
local function take_windows(windows, now, member)
  local wait = 0
  for _, w in ipairs(windows) do
    local max = tonumber(w.max)
    local per = tonumber(w.perMs)
    local margin = tonumber(w.marginMs)
    redis.call('ZREMRANGEBYSCORE', w.window, '-inf', now - per - margin)
    local count = redis.call('ZCARD', w.window)
    if count >= max then
      local oldest = redis.call('ZRANGE', w.window, count - max, count - max, 'WITHSCORES')
      -- The entry leaves the window (ZREMRANGEBYSCORE above is inclusive) at exactly this time.
      local free = tonumber(oldest[2]) + per + margin
      if free > wait then wait = free end
    end
  end
  if wait > 0 then return wait end
  for _, w in ipairs(windows) do
    redis.call('ZADD', w.window, now, member)
    redis.call('PEXPIRE', w.window, tonumber(w.perMs) + tonumber(w.marginMs) + 1000)
  end
  return 0
end

-- Moves a taken slot to the time its call ended (never earlier than it was).
local function settle_windows(windows, ended, member)
  for _, w in ipairs(windows) do
    redis.call('ZADD', w.window, 'XX', 'GT', ended, member)
    redis.call('PEXPIRE', w.window, tonumber(w.perMs) + tonumber(w.marginMs) + 1000)
  end
end
