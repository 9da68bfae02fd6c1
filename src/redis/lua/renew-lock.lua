-- SPDX-License-Identifier: EUPL-1.2
--[[
  renew-lock: extends a token lock its holder still holds (src/limits/account-gate.ts keepAlive).

  KEYS[1] lock          the lock
  ARGV[1] token         the holder's token
  ARGV[2] ttlMs         the new time to live

  Returns 1 when extended, 0 when the lock was lost (expired, and maybe taken)
]]
--- @include "includes/lock"

if holds_lock(KEY.lock, ARG.token) then return redis.call('PEXPIRE', KEY.lock, ARG.ttlMs) end
return 0
