/**
 * Lua scripts run by their SHA (EVALSHA), through ioredis' own defineCommand: the body crosses the wire
 * only when a server does not know it yet (first use, or after a Redis restart flushed its script cache),
 * and the call pipelines like any other command. EVAL would send and hash the whole body on every call.
 */
import type { RedisClient } from './connection.ts';

export type ScriptArg = string | number;
export type RunScript = (keys: readonly string[], args: readonly ScriptArg[]) => Promise<unknown>;

type WithCommand = Record<string, (numKeys: number, ...keysAndArgs: ScriptArg[]) => Promise<unknown>>;

/** Defines the script once per connection (under `name`) and returns a typed caller. */
export function defineScript(redis: RedisClient, name: string, lua: string): RunScript {
  const client = redis as unknown as WithCommand;
  if (typeof client[name] !== 'function') redis.defineCommand(name, { lua });
  return (keys, args) => client[name]!.call(redis, keys.length, ...keys, ...args);
}

/** Lua: deletes a lock only while it still holds this holder's token (one that expired and was taken is left alone). */
export const RELEASE_LOCK_LUA = `
local function release_lock(key, token)
  if redis.call('GET', key) == token then return redis.call('DEL', key) end
  return 0
end
`;

/** Releases a token lock (an account's, a feed poll's): KEYS[1] the lock, ARGV[1] the token. */
export function releaseLockScript(redis: RedisClient): RunScript {
  return defineScript(redis, 'banditoreReleaseLock', `${RELEASE_LOCK_LUA}\nreturn release_lock(KEYS[1], ARGV[1])`);
}
