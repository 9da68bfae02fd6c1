// SPDX-License-Identifier: EUPL-1.2
/** Counting helpers shared by the burst sections. */
import type { FeedFarm } from './feed-farm.ts';

/** The p-th percentile of an ascending list (NaN when empty). */
export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

/**
 * Exactly once, from what the emulators hold: each feed's newest `offersEach` offers must be on X (its
 * link in a post's text) and on Facebook (a post's link) once each. Returns the extra and the missing posts.
 */
export function exactlyOnce(farm: FeedFarm, offersEach: number, xPosts: Array<{ text: string }>, graphPosts: Array<{ link?: string }>): { duplicates: number; missing: number } {
  const newUrls = farm.feeds.flatMap((f) => f.items.slice(-offersEach).map((it) => it.url));
  const onX = new Map<string, number>();
  for (const p of xPosts) for (const m of p.text.matchAll(/https?:\/\/\S+/g)) onX.set(m[0], (onX.get(m[0]) ?? 0) + 1);
  const onFb = new Map<string, number>();
  for (const p of graphPosts) if (p.link) onFb.set(p.link, (onFb.get(p.link) ?? 0) + 1);
  let duplicates = 0;
  let missing = 0;
  for (const u of newUrls) for (const m of [onX, onFb]) { const n = m.get(u) ?? 0; if (n === 0) missing++; if (n > 1) duplicates += n - 1; }
  return { duplicates, missing };
}
