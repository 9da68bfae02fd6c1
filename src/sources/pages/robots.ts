// SPDX-License-Identifier: EUPL-1.2
/**
 * robots.txt (RFC 9309), read once per host and kept for an hour: a portal that asks crawlers to keep
 * out of a path is never fetched there. No robots library is installed, and the rules are small:
 * - the group of our product token ("Banditore" of the User-Agent), else the `*` group; groups naming
 *   the same agent are merged;
 * - the longest matching rule wins, `allow` over `disallow` on a tie; `*` matches any run of
 *   characters and a final `$` anchors the end; an empty `disallow` allows everything;
 * - no robots.txt (HTTP 4xx) allows everything; a server that cannot answer it (5xx, network error)
 *   disallows everything until it answers (RFC 9309 §2.3.1.4).
 */
import { FeedError } from '../../feeds/errors.ts';
import { HostBusyError } from '../../feeds/host-limiter.ts';

interface Rule { allow: boolean; pattern: string }
interface Group { agents: string[]; rules: Rule[] }

export interface RobotsRules {
  /** Whether `pathAndQuery` ("/welcomepage/vacancy/view/12?x=1") may be fetched by `userAgent`. */
  allows(userAgent: string, pathAndQuery: string): boolean;
}

/** The product token of a User-Agent: "Banditore/0.1 (+https://…)" → "banditore". */
export function productToken(userAgent: string): string {
  return (userAgent.trim().split(/[\s/]/)[0] ?? '').toLowerCase();
}

/** Parses a robots.txt body; unknown lines (Sitemap, Crawl-delay, junk) are ignored. */
export function parseRobots(text: string): RobotsRules {
  const groups: Group[] = [];
  let current: Group | undefined;
  let lastWasAgent = false;
  // A robots.txt larger than 500 KiB is read up to there (RFC 9309 §2.5).
  for (const rawLine of text.slice(0, 512 * 1024).split(/\r\n|\r|\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const field = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (field === 'user-agent') {
      if (!current || !lastWasAgent) { current = { agents: [], rules: [] }; groups.push(current); }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue; // rules before any user-agent line belong to no group
    if (field === 'allow' || field === 'disallow') {
      if (value === '') continue; // "Disallow:" with nothing: no rule
      current.rules.push({ allow: field === 'allow', pattern: value });
    }
  }
  return {
    allows(userAgent, pathAndQuery) {
      const token = productToken(userAgent);
      let rules = groups.filter((g) => g.agents.some((a) => a !== '*' && a === token)).flatMap((g) => g.rules);
      if (!groups.some((g) => g.agents.some((a) => a !== '*' && a === token))) rules = groups.filter((g) => g.agents.includes('*')).flatMap((g) => g.rules);
      let best: Rule | undefined;
      let bestLength = -1;
      for (const r of rules) {
        if (!matches(r.pattern, pathAndQuery)) continue;
        const length = r.pattern.length;
        if (length > bestLength || (length === bestLength && r.allow && !best?.allow)) { best = r; bestLength = length; }
      }
      return best ? best.allow : true;
    },
  };
}

/** Whether a robots path pattern matches the start of a path (percent-encoding compared as written). */
function matches(pattern: string, path: string): boolean {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const re = body.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${re}${anchored ? '$' : ''}`).test(path);
}

const ALLOW_ALL: RobotsRules = { allows: () => true };
const DISALLOW_ALL: RobotsRules = { allows: () => false };

/** How long a host's robots.txt is trusted before it is read again. */
export const ROBOTS_TTL_MS = 3_600_000;
/** After a failure to read it, try again sooner. */
const ROBOTS_RETRY_MS = 5 * 60_000;

export type FetchText = (url: string) => Promise<{ status: 'ok'; body: string } | { status: 'missing' }>;

/**
 * robots.txt per origin, fetched through the caller's fetch (the feeds' fetch layer: host limits,
 * User-Agent, size and time limits) and kept in memory for ROBOTS_TTL_MS.
 */
export class RobotsCache {
  private readonly entries = new Map<string, { rules: RobotsRules; until: number; unreachable?: string }>();

  constructor(private readonly fetchText: FetchText, private readonly clock: () => number = Date.now) {}

  /** The rules for the origin of `url`; `unreachable` says why everything is disallowed for now. */
  async rulesFor(url: string): Promise<{ rules: RobotsRules; unreachable?: string }> {
    const origin = new URL(url).origin;
    const now = this.clock();
    const hit = this.entries.get(origin);
    if (hit && hit.until > now) return hit;
    let entry: { rules: RobotsRules; until: number; unreachable?: string };
    try {
      const got = await this.fetchText(`${origin}/robots.txt`);
      entry = { rules: got.status === 'ok' ? parseRobots(got.body) : ALLOW_ALL, until: now + ROBOTS_TTL_MS };
    } catch (e) {
      // A busy host is no verdict on robots.txt: the caller comes back at the host's turn.
      if (e instanceof HostBusyError || (e instanceof FeedError && e.reason.startsWith('host busy'))) throw e;
      const reason = e instanceof FeedError ? e.reason : String(e);
      entry = { rules: DISALLOW_ALL, until: now + ROBOTS_RETRY_MS, unreachable: reason };
    }
    this.entries.set(origin, entry);
    return entry;
  }

  /** Whether `url` may be fetched by `userAgent` (false while the host's robots.txt cannot be read). */
  async allows(url: string, userAgent: string): Promise<boolean> {
    const u = new URL(url);
    return (await this.rulesFor(url)).rules.allows(userAgent, `${u.pathname}${u.search}`);
  }
}
