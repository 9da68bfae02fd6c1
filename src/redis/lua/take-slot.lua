--[[
  take-slot: a slot in every limit window of an account for an edit or a delete
  (src/delivery/slots.ts), unless a learned wait says to hold back. Runs under the account lock.

  KEYS[1] accountWait   the account's learned wait
  KEYS[2] appWait       the app's learned wait
  KEYS[3+] windows: window

  ARGV[1] now           '' reads Redis TIME (production); a number pins the time (tests)
  ARGV[2] slot          the name of the slot to take
  ARGV[3+] windows: max, perMs, marginMs

  Returns {'wait', until, now} | {'limit', until, now} | {'ok', now}
]]
--- @include "includes/clock"
--- @include "includes/waits"
--- @include "includes/windows"

local now = clock_now(ARG.now)
local w = learned_wait({KEY.accountWait, KEY.appWait})
if w > now then return {'wait', w, now} end
local free = take_windows(WINDOWS, now, ARG.slot)
if free > 0 then return {'limit', free, now} end
return {'ok', now}
