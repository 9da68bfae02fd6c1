/**
 * Secret scrubbing for everything that leaves the process: logs, CLI output, dashboard answers.
 * The Facebook SDK puts the Page token in `error.url`, and OAuth headers may show up in error dumps,
 * so we scrub by value (every secret the config holds) and by shape (token-looking query parameters).
 */
export const REDACTED = '[redacted]';

const SHAPES: RegExp[] = [
  /(access_token=)[^&\s"']+/gi,
  /(oauth_(?:token|signature|consumer_key|nonce)=")[^"]*/gi,
  /(authorization["']?\s*[:=]\s*["']?)(?:OAuth|Bearer|Basic)\s+[^"',}\n]+/gi,
  /(appsecret_proof=)[^&\s"']+/gi,
];

export type Scrubber = <T>(value: T) => T;

export function makeScrubber(secrets: readonly string[]): Scrubber {
  // Longest first, so a secret that contains another is replaced whole.
  const values = [...new Set(secrets.filter((s) => s && s.length >= 4))].sort((a, b) => b.length - a.length);
  const scrubText = (s: string): string => {
    let out = s;
    for (const v of values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    for (const re of SHAPES) out = out.replace(re, `$1${REDACTED}`);
    return out;
  };
  const walk = (v: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof v === 'string') return scrubText(v);
    if (!v || typeof v !== 'object' || depth > 8) return v;
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
    for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1, seen);
    return out;
  };
  return <T>(value: T): T => walk(value, 0, new WeakSet()) as T;
}
