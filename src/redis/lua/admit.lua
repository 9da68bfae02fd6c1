-- SPDX-License-Identifier: EUPL-1.2
--[[
  admit: step 1 of a delivery attempt (src/delivery/attempt-store.ts). Paused? Quiet hours? A learned
  wait? Then the account lock, the ledger entry and the offer, all at once: nothing can pause the
  channel or take the account in between.

  KEYS[1] channelState  the publisher's channel run state (hash)
  KEYS[2] lock          the account lock (string: the holder's token)
  KEYS[3] ledger        the (offer, channel) ledger entry (hash)
  KEYS[4] offer         the stored offer (hash)
  KEYS[5] accountWait   the account's learned wait (string, epoch ms)
  KEYS[6] appWait       the app's learned wait (string, epoch ms)

  ARGV[1] now           '' reads Redis TIME (production); a number pins the time (tests)
  ARGV[2] token         this attempt's lock token
  ARGV[3] lockTtlMs     how long the lock lives unless renewed
  ARGV[4] quiet         '1' while the publisher's quiet hours last
  ARGV[5] readOffer     '1' to return the offer too

  Returns {'paused'} | {'quiet'} | {'busy'} | {'wait', until, now}
        | {'admitted', ledger fields, offer fields, now}   (now: the time the script decided by)
]]
--- @include "includes/clock"
--- @include "includes/waits"

if redis.call('HGET', KEY.channelState, 'paused') == '1' then return {'paused'} end
if ARG.quiet == '1' then return {'quiet'} end
local now = clock_now(ARG.now)
local w = learned_wait({KEY.accountWait, KEY.appWait})
if w > now then return {'wait', w, now} end
if not redis.call('SET', KEY.lock, ARG.token, 'PX', ARG.lockTtlMs, 'NX') then return {'busy'} end
local offer = {}
if ARG.readOffer == '1' then offer = redis.call('HGETALL', KEY.offer) end
return {'admitted', redis.call('HGETALL', KEY.ledger), offer, now}
