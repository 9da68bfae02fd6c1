-- SPDX-License-Identifier: EUPL-1.2
--[[
  take-windows: a slot in every limit window of an account, or none (src/limits/sliding-window.ts).

  KEYS[1+] windows: window

  ARGV[1] now           '' reads Redis TIME (production); a number pins the time (tests)
  ARGV[2] member        the slot's name
  ARGV[3+] windows: max, perMs, marginMs

  Returns {0, now} when taken, else {epoch ms at which a slot frees up, now}
]]
--- @include "includes/clock"
--- @include "includes/windows"

local now = clock_now(ARG.now)
return {take_windows(WINDOWS, now, ARG.member, 0), now}
