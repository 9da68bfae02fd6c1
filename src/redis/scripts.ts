// SPDX-License-Identifier: EUPL-1.2
/**
 * Every Lua script the service runs, each named by one descriptor: its file in src/redis/lua/, the
 * names of its KEYS and ARGV in order, and a repeated group (the limit windows) when it has one. The
 * descriptor builds the call (callers pass named fields, never positions), and the loader
 * (src/redis/lua-loader.ts) checks it against the file's header and names the fields inside the script.
 *
 * Scripts run by their SHA (EVALSHA), through ioredis' own defineCommand: the body crosses the wire only
 * when a server does not know it yet (first use, or after a Redis restart flushed its script cache), and
 * the call pipelines like any other command. EVAL would send and hash the whole body on every call.
 */
import type { RedisClient } from './connection.ts';
import { loadLua, type LuaShape } from './lua-loader.ts';

export type ScriptArg = string | number;

export interface ScriptSpec<K extends string = string, A extends string = string, GK extends string = string, GA extends string = string> extends LuaShape {
  /** The ioredis command name the script is defined under. */
  command: string;
  keys: readonly K[];
  args: readonly A[];
  each?: { name: string; keys: readonly GK[]; args: readonly GA[] };
}

/** One item of a repeated group: its keys and arguments by name. */
export interface GroupItem<GK extends string, GA extends string> { keys: Record<GK, string>; args: Record<GA, ScriptArg> }

/** A bound script: named KEYS and ARGV in, the script's reply out. */
export type BoundScript<K extends string, A extends string, GK extends string, GA extends string> =
  (keys: Record<K, string>, args: Record<A, ScriptArg>, each?: readonly GroupItem<GK, GA>[]) => Promise<unknown>;

function spec<const K extends string, const A extends string, const GK extends string = never, const GA extends string = never>(s: ScriptSpec<K, A, GK, GA>): ScriptSpec<K, A, GK, GA> {
  return s;
}

/** The limit windows, repeated after a script's named KEYS and ARGV (src/redis/lua/includes/windows.lua). */
const WINDOWS = { name: 'windows', keys: ['window'], args: ['max', 'perMs', 'marginMs'] } as const;

export const SCRIPTS = {
  admit: spec({
    command: 'banditoreAdmit', file: 'admit.lua',
    keys: ['channelState', 'lock', 'ledger', 'offer', 'accountWait', 'appWait'],
    args: ['now', 'token', 'lockTtlMs', 'quiet', 'readOffer'],
  }),
  commitSend: spec({
    command: 'banditoreCommitSend', file: 'commit-send.lua',
    keys: ['ledger', 'lock', 'accountWait', 'appWait', 'waiters', 'doubt'],
    args: ['now', 'at', 'token', 'rev', 'slot', 'text', 'contentHash', 'inFlightMs', 'waiter', 'staleMs', 'key'],
    each: WINDOWS,
  }),
  finishPost: spec({
    command: 'banditoreFinishPost', file: 'finish-post.lua',
    keys: ['ledger', 'recent', 'channelState', 'counters', 'offer', 'lock', 'wait', 'doubt'],
    args: ['now', 'at', 'slot', 'member', 'remoteId', 'permalink', 'contentHash', 'trim', 'counterField', 'token', 'waitForMs', 'key'],
    each: WINDOWS,
  }),
  takeSlot: spec({
    command: 'banditoreTakeSlot', file: 'take-slot.lua',
    keys: ['accountWait', 'appWait', 'waiters'],
    args: ['now', 'slot', 'inFlightMs', 'waiter', 'staleMs'],
    each: WINDOWS,
  }),
  takeWindows: spec({ command: 'banditoreTakeWindows', file: 'take-windows.lua', keys: [], args: ['now', 'member'], each: WINDOWS }),
  settleWindows: spec({ command: 'banditoreSettleWindows', file: 'settle-windows.lua', keys: [], args: ['now', 'member', 'afterMs'], each: WINDOWS }),
  releaseLock: spec({ command: 'banditoreReleaseLock', file: 'release-lock.lua', keys: ['lock'], args: ['token'] }),
  renewLock: spec({ command: 'banditoreRenewLock', file: 'renew-lock.lua', keys: ['lock'], args: ['token', 'ttlMs'] }),
  extendWait: spec({ command: 'banditoreExtendWait', file: 'extend-wait.lua', keys: ['wait'], args: ['now', 'waitForMs'] }),
  ledgerUpdate: spec({ command: 'banditoreLedgerUpdate', file: 'ledger-update.lua', keys: ['ledger', 'doubt'], args: ['key', 'at', 'fields', 'remove'] }),
  reindexDoubt: spec({ command: 'banditoreReindexDoubt', file: 'reindex-doubt.lua', keys: ['ledger', 'doubt'], args: ['key', 'at'] }),
  holdIfQueued: spec({ command: 'banditoreHoldIfQueued', file: 'hold-if-queued.lua', keys: ['ledger'], args: ['at', 'reason'] }),
};

type WithCommand = Record<string, (numKeys: number, ...keysAndArgs: ScriptArg[]) => Promise<unknown>>;

/**
 * Defines the script on this connection (once) and returns its caller: KEYS and ARGV in the
 * descriptor's order, then each group item's keys and arguments.
 */
export function bindScript<K extends string, A extends string, GK extends string, GA extends string>(redis: RedisClient, s: ScriptSpec<K, A, GK, GA>): BoundScript<K, A, GK, GA> {
  const client = redis as unknown as WithCommand;
  if (typeof client[s.command] !== 'function') redis.defineCommand(s.command, { lua: loadLua(s) });
  return (keys, args, each = []) => {
    const k: string[] = s.keys.map((name) => keys[name]);
    const a: ScriptArg[] = s.args.map((name) => args[name]);
    for (const item of each) {
      for (const name of s.each?.keys ?? []) k.push(item.keys[name]);
      for (const name of s.each?.args ?? []) a.push(item.args[name]);
    }
    return client[s.command]!.call(redis, k.length, ...k, ...a);
  };
}

/** A positional caller (KEYS, ARGV), for stores outside this folder that only release a lock. */
export type RunScript = (keys: readonly string[], args: readonly ScriptArg[]) => Promise<unknown>;

/** Releases a token lock (an account's, a feed poll's): keys [the lock], args [the token]. */
export function releaseLockScript(redis: RedisClient): RunScript {
  const release = bindScript(redis, SCRIPTS.releaseLock);
  return (keys, args) => release({ lock: keys[0]! }, { token: args[0]! });
}
