-- SPDX-License-Identifier: EUPL-1.2
--[[
  settle-windows: moves a taken slot to the time its call ended (src/limits/sliding-window.ts).

  KEYS[1+] windows: window

  ARGV[1] now           when the call ended: '' reads Redis TIME (production); a number pins it (tests)
  ARGV[2] member        the slot's name
  ARGV[3] afterMs       added to the end: the grace of an outcome we do not know (0 when known)
  ARGV[4+] windows: max, perMs, marginMs

  Returns 0
]]
--- @include "includes/clock"
--- @include "includes/windows"

local now = clock_now(ARG.now)
settle_windows(WINDOWS, now, now + tonumber(ARG.afterMs), ARG.member)
return 0
