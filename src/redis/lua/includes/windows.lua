-- SPDX-License-Identifier: EUPL-1.2
--[[
  An account's sliding-window limits: one sorted set per window (keyed by its max and per), holding
  one member per request scored by the latest the network may have counted it: while the call is in
  flight, the latest it could land; once it ended, its end (plus a grace when its outcome is unknown).
  Posts and modifications (edits, deletes) have windows of their own. `windows` is the script's WINDOWS list:
  one table per window with its key (`window`) and its `max`, `perMs` and `marginMs`.
]]

-- Keeps a window's key alive as long as its latest entry counts (an in-flight slot is scored ahead of now).
local function keep_window(w, now)
  local last = redis.call('ZRANGE', w.window, -1, -1, 'WITHSCORES')
  local latest = now
  if last[2] and tonumber(last[2]) > latest then latest = tonumber(last[2]) end
  redis.call('PEXPIRE', w.window, math.max(1, latest - now) + tonumber(w.perMs) + tonumber(w.marginMs) + 1000)
end

-- Takes a slot named `member` in every window and returns 0, or takes none and returns the epoch ms
-- at which one frees up. The slot is scored `now + inFlightMs`: while its call is in flight the
-- network may count it at any moment up to the latest the call can land, so it must count until
-- then, however long the call takes (settle_windows moves it to the call's end).
local function take_windows(windows, now, member, inFlightMs)
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
  local score = now + math.max(0, tonumber(inFlightMs or 0))
  for _, w in ipairs(windows) do
    redis.call('ZADD', w.window, score, member)
    keep_window(w, now)
  end
  return 0
end

-- Moves a taken slot to when the network may last have counted it: `ended` (the call's end, plus a
-- grace the caller adds for an outcome we do not know). The in-flight score is the latest the call
-- could land, so this normally moves the slot earlier.
local function settle_windows(windows, now, ended, member)
  for _, w in ipairs(windows) do
    redis.call('ZADD', w.window, 'XX', ended, member)
    keep_window(w, now)
  end
end

--[[
  Staggered wakes. `waiters` is one sorted set per account and budget: each job refused a slot, scored
  by the wake it was given. A refused job is ranked behind the waiters given earlier wakes (a new one
  behind all), and given the instant the (rank+1)-th slot frees up, so each freed slot wakes one job
  instead of every waiter waking at the same reset and bouncing. A waiter that has not come back
  `staleMs` after its wake is gone (its job ended another way) and no longer counts.
]]
-- When the entry at `idx` (0-based, by score) leaves the window; a free place (idx < 0) is free now.
local function freed_at(scores, idx, now, span)
  if idx < 0 then return now end
  return tonumber(scores[idx + 1]) + span
end

local function staggered_wait(windows, waiters, member, now, staleMs)
  redis.call('ZREMRANGEBYSCORE', waiters, '-inf', now - staleMs)
  local mine = redis.call('ZSCORE', waiters, member)
  local rank
  if mine then rank = redis.call('ZCOUNT', waiters, '-inf', '(' .. mine)
  else rank = redis.call('ZCARD', waiters) end
  local wake = 0
  for _, w in ipairs(windows) do
    local max = tonumber(w.max)
    local span = tonumber(w.perMs) + tonumber(w.marginMs)
    local scores = redis.call('ZRANGE', w.window, 0, -1, 'WITHSCORES')
    local flat = {}
    for j = 2, #scores, 2 do flat[#flat + 1] = scores[j] end
    local count = #flat
    local i = count - max + rank
    local t = 0
    if i >= 0 then
      if i < count then t = freed_at(flat, i, now, span)
      else
        -- Beyond the entries we know: the slot a waiter ahead of us takes frees up one span after
        -- that waiter posts, which is a little after its own wake (the wake's latency, the call):
        -- each such cycle adds a slack, so a later waiter wakes just after its slot frees, never before.
        local j = i - count
        local slack = math.min(1000, math.max(100, math.floor(tonumber(w.perMs) * 0.1)))
        t = freed_at(flat, count - max + (j % max), now, span) + (math.floor(j / max) + 1) * (span + slack)
      end
    end
    if t > wake then wake = t end
  end
  if wake <= now then wake = now + 1 end
  redis.call('ZADD', waiters, wake, member)
  local last = redis.call('ZRANGE', waiters, -1, -1, 'WITHSCORES')
  redis.call('PEXPIRE', waiters, math.max(1, tonumber(last[2]) - now) + staleMs)
  return wake
end

-- take_windows for a job that may wait: refused, it gets its staggered wake; served, it stops waiting.
local function take_or_queue(windows, waiters, now, slot, waiter, inFlightMs, staleMs)
  local free = take_windows(windows, now, slot, inFlightMs)
  if free > 0 then return staggered_wait(windows, waiters, waiter, now, staleMs) end
  redis.call('ZREM', waiters, waiter)
  return 0
end
