-- SPDX-License-Identifier: EUPL-1.2
--[[
  extend-wait: keeps a wait a network taught, never shortening one already known
  (src/limits/account-gate.ts learnWait).

  KEYS[1] wait          the account's or app's learned wait
  ARGV[1] now           '' reads Redis TIME (production); a number pins the time (tests)
  ARGV[2] waitForMs     how long to wait, from now

  Returns 1
]]
--- @include "includes/clock"
--- @include "includes/waits"

local now = clock_now(ARG.now)
return extend_wait(KEY.wait, now + tonumber(ARG.waitForMs), now)
