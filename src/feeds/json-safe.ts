// SPDX-License-Identifier: EUPL-1.2
/**
 * JSON from strangers: bounded nesting (checked by a linear scan before JSON.parse, so a 100,000-deep
 * array never reaches a recursive walker) and no `__proto__` / `constructor` / `prototype` keys in the
 * result, so nothing downstream that copies or merges objects can pollute prototypes.
 */
import { FeedError } from './errors.ts';

export const MAX_JSON_DEPTH = 64;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Deepest bracket nesting of a JSON text, ignoring brackets inside strings. */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped char
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) { max = depth; if (max > stopAt) return max; }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

function reviver(this: unknown, key: string, value: unknown): unknown {
  return FORBIDDEN_KEYS.has(key) ? undefined : value;
}

export function parseJsonSafely(text: string, what = 'JSON'): unknown {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new FeedError(`${what} nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text, reviver);
  } catch (err) {
    throw new FeedError(`invalid ${what}: ${(err as Error).message.slice(0, 120)}`);
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
