// SPDX-License-Identifier: EUPL-1.2
/**
 * Facebook's usage headers turned into limit hints. Both are JSON strings of percentages:
 * `x-business-use-case-usage` {"<page id>":[{type, call_count, total_cputime, total_time,
 * estimated_time_to_regain_access (MINUTES)}]} for Page tokens, and `x-app-usage` {call_count,
 * total_time, total_cputime} for the app. Meta advises stopping at 100: retries extend the block.
 */
import type { LimitHints } from '../channel.ts';

/** Used when Facebook throttles without saying for how long. */
export const DEFAULT_FB_BACKOFF_MS = 10 * 60_000;

type Headers = Record<string, unknown> | null | undefined;

function parseJson(v: unknown): unknown {
  if (typeof v !== 'string') return v && typeof v === 'object' ? v : undefined;
  try { return JSON.parse(v); } catch { return undefined; }
}

const pct = (o: Record<string, unknown>) =>
  Math.max(0, ...['call_count', 'total_cputime', 'total_time'].map((k) => Number(o[k])).filter(Number.isFinite));

export function fbUsageHints(headers: Headers, now = Date.now()): LimitHints | undefined {
  if (!headers) return undefined;
  const get = (name: string) => headers[name] ?? headers[name.toLowerCase()];
  let usagePercent: number | undefined;
  let regainMin = 0;
  let appPercent = 0;
  const buc = parseJson(get('x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    for (const entries of Object.values(buc as Record<string, unknown>)) {
      for (const e of Array.isArray(entries) ? entries : []) {
        if (!e || typeof e !== 'object') continue;
        usagePercent = Math.max(usagePercent ?? 0, pct(e as Record<string, unknown>));
        regainMin = Math.max(regainMin, Number((e as Record<string, unknown>).estimated_time_to_regain_access) || 0);
      }
    }
  }
  const app = parseJson(get('x-app-usage'));
  if (app && typeof app === 'object') {
    appPercent = pct(app as Record<string, unknown>);
    usagePercent = Math.max(usagePercent ?? 0, appPercent);
  }
  if (usagePercent === undefined) return undefined;
  const hints: LimitHints = { usagePercent };
  if (regainMin > 0) return { ...hints, waitUntil: now + regainMin * 60_000, scope: 'account' };
  if (appPercent >= 100) return { ...hints, waitUntil: now + DEFAULT_FB_BACKOFF_MS, scope: 'app' };
  if (usagePercent >= 100) return { ...hints, waitUntil: now + DEFAULT_FB_BACKOFF_MS, scope: 'account' };
  return hints;
}
