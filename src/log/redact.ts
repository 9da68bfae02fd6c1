// SPDX-License-Identifier: EUPL-1.2
/**
 * Secret scrubbing for everything that leaves the process: logs, CLI output, dashboard answers.
 * The Facebook SDK puts the Page token in `error.url`, and OAuth headers may show up in error dumps,
 * so we scrub by value (every secret the config holds) and by shape (token-looking query parameters).
 */
export const REDACTED = '[redacted]';
/** What stands for a value nested deeper than MAX_DEPTH: a secret could hide in it, so it is not written. */
export const TOO_DEEP = '[too deep]';
const MAX_DEPTH = 8;

/**
 * Query parameters whose value is a key wherever they appear (feed URLs like `…/offerte.xml?apikey=…`),
 * matched case-insensitively. A value written in the config as `${NAME}` is scrubbed by value anyway.
 */
export const KEY_PARAMS = ['key', 'apikey', 'api_key', 'api-key', 'token', 'access_token', 'auth_token', 'secret', 'client_secret', 'sig', 'signature', 'password'];

const SHAPES: RegExp[] = [
  /(access_token=)[^&\s"']+/gi,
  /(oauth_(?:token|signature|consumer_key|nonce)=")[^"]*/gi,
  /(authorization["']?\s*[:=]\s*["']?)(?:OAuth|Bearer|Basic)\s+[^"',}\n]+/gi,
  /(appsecret_proof=)[^&\s"']+/gi,
  // A key in a URL's query (…?apikey=…&…) and the password of a URL's userinfo (https://user:pw@host/).
  new RegExp(`([?&;](?:${KEY_PARAMS.join('|')})=)[^&#\\s"'<>]+`, 'gi'),
  /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:"'<>]*:)[^\s/?#@"'<>]+(?=@)/gi,
  // A bot token in a Bot API path (/bot<id>:<secret>/sendMessage), should one reach a line by another way.
  /(\/bot\d+:)[A-Za-z0-9_-]+/g,
];

export type Scrubber = <T>(value: T) => T;

/** Literal text that every SHAPES match contains (same case rules): a string without any skips them all. */
const SHAPE_HINT = new RegExp(`access_token=|oauth_|authorization|appsecret_proof=|[?&;](?:${KEY_PARAMS.join('|')})=|://[^\\s/@]*@|/bot\\d`, 'i');

const HASH_BASE = 31;
/** The hash of s[from, from + k): a polynomial in HASH_BASE on 32 bits, rolled one char at a time. */
function windowHash(s: string, from: number, k: number): number {
  let h = 0;
  for (let j = from; j < from + k; j++) h = (Math.imul(h, HASH_BASE) + s.charCodeAt(j)) | 0;
  return h;
}
function powHash(n: number): number {
  let p = 1;
  for (let j = 0; j < n; j++) p = Math.imul(p, HASH_BASE);
  return p;
}

/** Up to this many secrets, looking for each one is cheaper than indexing them. */
const FEW_SECRETS = 8;
/** Secrets are indexed by their last K characters (tokens of one app often share a long prefix). */
const MAX_K = 8;

/**
 * Which secrets may be replaced in a string, without looking for each of thousands of secrets (a
 * deployment holds two or three per account; every log line is scrubbed). The answer is a superset of
 * what the plain loop below would replace: every secret that occurs in the string, found through an
 * index of the secrets' last K chars checked at every position, plus the few secrets that could appear
 * only across an inserted REDACTED (they share characters with it at an edge). Any other secret occurs
 * neither in the string nor in what the replacements make of it, so the loop would skip it anyway:
 * running the loop over the candidates alone gives exactly the same text.
 */
function candidateFinder(values: readonly string[]): (s: string) => readonly string[] {
  if (values.length <= FEW_SECRETS) return () => values;
  const k = Math.min(MAX_K, values[values.length - 1]!.length);
  const byHash = new Map<number, number[]>();
  // Shares characters with an inserted REDACTED: contains it, lies inside it, or overlaps one of its ends.
  const touchesRedacted = (v: string): boolean => {
    if (v.includes(REDACTED) || REDACTED.includes(v)) return true;
    for (let n = 1; n < REDACTED.length; n++) if (v.endsWith(REDACTED.slice(0, n)) || v.startsWith(REDACTED.slice(-n))) return true;
    return false;
  };
  // The index is keyed by a rolling hash of the K chars, not by the chars themselves: a substring per
  // position of every string of every log line was most of what scrubbing allocated.
  values.forEach((v, i) => {
    const h = windowHash(v, v.length - k, k);
    const list = byHash.get(h);
    if (list) list.push(i); else byHash.set(h, [i]);
  });
  const always = values.flatMap((v, i) => (touchesRedacted(v) ? [i] : []));
  const alwaysValues = always.map((i) => values[i]!);
  const drop = powHash(k - 1);
  return (s) => {
    if (s.length < k) return alwaysValues;
    let found: Set<number> | undefined;
    let h = windowHash(s, 0, k);
    for (let end = k; ; end++) {
      const list = byHash.get(h);
      if (list) {
        for (const i of list) {
          const v = values[i]!;
          if (end >= v.length && s.startsWith(v, end - v.length)) (found ??= new Set(always)).add(i);
        }
      }
      if (end === s.length) break;
      h = (Math.imul(h - Math.imul(s.charCodeAt(end - k), drop), HASH_BASE) + s.charCodeAt(end)) | 0;
    }
    if (!found) return alwaysValues;
    // The loop's own order: longest first.
    return [...found].sort((a, b) => a - b).map((i) => values[i]!);
  };
}

/**
 * Fields removed whatever their value, at any depth (the logger's: a token field whose value the config
 * never held, an HTTP client's request config with the token in its URL).
 */
export type CensorField = (key: string, value: unknown) => boolean;

export function makeScrubber(secrets: readonly string[], censor?: CensorField): Scrubber {
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...new Set(secrets.filter((s) => s && s.length >= 4))].sort((a, b) => b.length - a.length);
  const candidates = candidateFinder(values);
  const scrubText = (s: string): string => {
    let out = s;
    for (const v of candidates(s)) if (out.includes(v)) out = out.split(v).join(REDACTED);
    if (SHAPE_HINT.test(out)) for (const re of SHAPES) out = out.replace(re, `$1${REDACTED}`);
    return out;
  };
  const walk = (v: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof v === 'string') return scrubText(v);
    if (!v || typeof v !== 'object') return v;
    if (depth > MAX_DEPTH) return TOO_DEEP;
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1, seen));
    if (v instanceof Error) {
      const out: Record<string, unknown> = { type: v.name, message: scrubText(v.message) };
      if (v.stack) out.stack = scrubText(v.stack);
      for (const [k, x] of Object.entries(v)) if (!(k in out)) out[k] = walk(x, depth + 1, seen);
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      out[k] = censor && x != null && censor(k, x) ? REDACTED : walk(x, depth + 1, seen);
    }
    return out;
  };
  return <T>(value: T): T => walk(value, 0, new WeakSet()) as T;
}
