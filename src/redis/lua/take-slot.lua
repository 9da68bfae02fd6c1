-- SPDX-License-Identifier: EUPL-1.2
--[[
  take-slot: a slot in every modification window of an account for an edit or a delete
  (src/delivery/slots.ts), unless a learned wait says to hold back. Runs under the account lock.

  KEYS[1] accountWait   the account's learned wait
  KEYS[2] appWait       the app's learned wait
  KEYS[3] waiters       the account's modifications waiting for a slot (staggered wakes)
  KEYS[4+] windows: window

  ARGV[1] now           '' reads Redis TIME (production); a number pins the time (tests)
  ARGV[2] slot          the name of the slot to take
  ARGV[3] inFlightMs    the latest the call can land after now: the slot counts from then until settled
  ARGV[4] waiter        the job's name among the waiters
  ARGV[5] staleMs       how long after its wake a waiter that has not come back stops counting
  ARGV[6+] windows: max, perMs, marginMs

  Returns {'wait', until, now} | {'limit', until, now} | {'ok', now}
]]
--- @include "includes/clock"
--- @include "includes/waits"
--- @include "includes/windows"

local now = clock_now(ARG.now)
local w = learned_wait({KEY.accountWait, KEY.appWait})
if w > now then return {'wait', w, now} end
local free = take_or_queue(WINDOWS, KEY.waiters, now, ARG.slot, ARG.waiter, tonumber(ARG.inFlightMs), tonumber(ARG.staleMs))
if free > 0 then return {'limit', free, now} end
return {'ok', now}
