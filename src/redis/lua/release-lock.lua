-- SPDX-License-Identifier: EUPL-1.2
--[[
  release-lock: deletes a token lock (an account's, a feed poll's) only while it holds this token.

  KEYS[1] lock          the lock
  ARGV[1] token         the holder's token

  Returns 1 when released, 0 when the lock was not (or no longer) this holder's
]]
--- @include "includes/lock"

return release_lock(KEY.lock, ARG.token)
