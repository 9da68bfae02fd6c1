-- SPDX-License-Identifier: EUPL-1.2
--[[
  commit-send: step 2 of a delivery attempt, right before the network call. First the fence: the
  attempt must still hold the account lock it was admitted with, and the ledger entry must be the one
  it read at admit (same rev). An attempt that stalled after admit (a long synchronous parse, a GC
  pause, a Redis failover) may have lost both to another worker that took its job and posted; it
  must send nothing. Then a learned wait that arrived meanwhile, then a slot in every limit window and
  the ledger's "sending", or neither.

  KEYS[1] ledger        the (offer, channel) ledger entry (hash)
  KEYS[2] lock          the account lock
  KEYS[3] accountWait   the account's learned wait
  KEYS[4] appWait       the app's learned wait
  KEYS[5] waiters       the account's posts waiting for a slot (staggered wakes, includes/windows.lua)
  KEYS[6] doubt         the publisher×network's index of entries in doubt
  KEYS[7+] windows: window

  ARGV[1] now           '' reads Redis TIME (production); a number pins the time (tests)
  ARGV[2] at            the caller's clock, for the entry's updatedAt (what operators read)
  ARGV[3] token         the lock token the attempt was admitted with
  ARGV[4] rev           the entry's rev as admit read it ('0' when it had none)
  ARGV[5] slot          the name of the slot to take in every window
  ARGV[6] text          the text about to be sent
  ARGV[7] contentHash   the offer's content version ('' keeps the stored one)
  ARGV[8] inFlightMs    the latest the call can land after now: the slot counts from then until settled
  ARGV[9] waiter        the job's name among the waiters
  ARGV[10] staleMs      how long after its wake a waiter that has not come back stops counting
  ARGV[11] key          the entry's offer key (its member in the index)
  ARGV[12+] windows: max, perMs, marginMs

  Returns {'fenced', 'lock' | 'ledger'} | {'wait', until, now} | {'limit', until, now} | {'ok', now}
]]
--- @include "includes/clock"
--- @include "includes/lock"
--- @include "includes/waits"
--- @include "includes/windows"
--- @include "includes/ledger"

if not holds_lock(KEY.lock, ARG.token) then return {'fenced', 'lock'} end
if ledger_rev(KEY.ledger) ~= ARG.rev then return {'fenced', 'ledger'} end
local now = clock_now(ARG.now)
local w = learned_wait({KEY.accountWait, KEY.appWait})
if w > now then return {'wait', w, now} end
local free = take_or_queue(WINDOWS, KEY.waiters, now, ARG.slot, ARG.waiter, tonumber(ARG.inFlightMs), tonumber(ARG.staleMs))
if free > 0 then return {'limit', free, now} end
mark_sending(KEY.ledger, now, ARG.at, ARG.text, ARG.contentHash, KEY.doubt, ARG.key)
return {'ok', now}
