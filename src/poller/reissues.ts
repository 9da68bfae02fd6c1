// SPDX-License-Identifier: EUPL-1.2
/**
 * Re-issued offers (ClicLavoro `codiceoffertaprecedente`): the SIL gives a corrected offer a new code and
 * names the earlier one. It is the same offer, so it takes the earlier offer's key; an alias remembers the
 * new code, so a later document that closes or corrects it under that code reaches the same posts. Shared
 * by every source: a feed, an inbox file, an API push, an upload.
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { OfferStore } from '../ledger/offers.ts';
import { offerKey } from '../feeds/normalize.ts';

export interface ReissueDeps { redis: RedisClient; keys: Keys; offers: OfferStore }

/** Follows re-issue aliases to the first offer of the chain (bounded: a loop in bad data stops). */
export async function canonicalKey(d: ReissueDeps, pub: string, key: string): Promise<string> {
  let k = key;
  for (let i = 0; i < 8; i++) {
    const next = await d.redis.hget(d.keys.sourcesAlias(pub), k);
    if (!next || next === k) return k;
    k = next;
  }
  return k;
}

/**
 * The key an offer is stored under: its own, or, when it re-issues an offer this publisher already has
 * (`replaces`, the earlier code), the earlier offer's (and the alias is written for later documents).
 */
export async function keyFor(d: ReissueDeps, pub: string, key: string, replaces: string | undefined): Promise<string> {
  const own = await canonicalKey(d, pub, key);
  if (own !== key || !replaces) return own;
  const earlier = await canonicalKey(d, pub, offerKey(replaces));
  if (earlier === key || !(await d.offers.get(pub, earlier))) return key; // nothing to re-issue: a new offer
  await d.redis.hset(d.keys.sourcesAlias(pub), key, earlier);
  return earlier;
}
