/**
 * `banditore parse [--json] [--publisher ID --config FILE] [--base URL] SOURCE...`: runs files or URLs through the
 * poller's own feed path and shows, per item, what would happen and why — the operator's answer to
 * "why was this offer not posted?". A failing source prints its error and the others go on.
 */
import { FeedError } from '../../feeds/errors.ts';
import { readSource, type ParsedItem } from '../../feeds/pipeline.ts';
import { loadConfig } from '../../config/load.ts';
import { readEnvironment } from '../../config/env.ts';

interface PublisherForParse {
  id: string;
  timezone: string;
  /** The config's `fetch` section, so `parse` fetches exactly like the poller. */
  fetch?: typeof FETCH_DEFAULTS;
}

export interface ParseIo {
  out: (line: string) => void;
  err: (line: string) => void;
  loadPublisher?: (configFile: string, id: string) => PublisherForParse;
}

const USAGE = 'usage: banditore parse [--json] [--publisher ID --config FILE] [--base URL] SOURCE...';

// Same values as the config schema's `fetch` defaults: `parse` must behave like the poller.
const FETCH_DEFAULTS = {
  timeoutMs: 30_000, connectTimeoutMs: 10_000, maxBytes: 10 * 1024 * 1024, maxRedirects: 5, perHost: 2,
  userAgent: 'Banditore/0.1 (+https://github.com/banditore/banditore)',
};

function defaultLoadPublisher(configFile: string, id: string): PublisherForParse {
  // `parse` never talks to X or Facebook: tokens the operator's shell lacks must not stop it.
  const env = readEnvironment();
  const { config } = loadConfig(configFile, { ...env, get: (name) => env.get(name) ?? 'unused-by-parse' });
  const p = config.publishers.find((x) => x.id === id);
  if (!p) throw new Error(`publisher "${id}" is not in ${configFile} (known: ${config.publishers.map((x) => x.id).join(', ')})`);
  const f = config.fetch;
  return {
    id: p.id, timezone: p.timezone,
    fetch: { timeoutMs: f.timeout, connectTimeoutMs: f.connectTimeout, maxBytes: f.maxBytes, maxRedirects: f.maxRedirects, perHost: f.perHost, userAgent: f.userAgent },
  };
}

interface Args { json: boolean; publisher?: string; config?: string; base?: string; sources: string[] }

function parseArgs(argv: string[]): Args | string {
  const a: Args = { json: false, sources: [] };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i]!;
    if (v === '--json') a.json = true;
    else if (v === '--publisher' || v === '--config' || v === '--base') {
      const value = argv[++i];
      if (value === undefined) return `${v} needs a value`;
      if (v === '--publisher') a.publisher = value; else if (v === '--config') a.config = value; else a.base = value;
    } else if (v.startsWith('--publisher=')) a.publisher = v.slice(12);
    else if (v.startsWith('--config=')) a.config = v.slice(9);
    else if (v.startsWith('--base=')) a.base = v.slice(7);
    else if (v === '--') a.sources.push(...argv.slice(i + 1)), (i = argv.length);
    else if (v.startsWith('--')) return `unknown option ${v}`;
    else a.sources.push(v);
  }
  if (a.sources.length === 0) return 'no SOURCE given';
  if ((a.publisher === undefined) !== (a.config === undefined)) return '--publisher and --config go together';
  if (a.base !== undefined && !/^https?:\/\/[^/]/i.test(a.base)) return '--base must be an http(s) URL';
  return a;
}

function clip(s: string | undefined, n: number): string {
  const v = (s ?? '').replace(/\s+/g, ' ');
  return v.length > n ? v.slice(0, n - 1) + '…' : v;
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ').trimEnd());
}

function printTable(source: string, format: string, items: ParsedItem[], out: (l: string) => void): void {
  const counts = new Map<string, number>();
  for (const it of items) counts.set(it.decision, (counts.get(it.decision) ?? 0) + 1);
  const summary = [...counts].map(([d, n]) => `${n} ${d}`).join(', ') || 'no items';
  out(`${source}  (${format}, ${items.length} items: ${summary})`);
  if (items.length === 0) return;
  const rows = [['#', 'DECISION', 'PUBLISHED', 'VALID THROUGH', 'TITLE', 'LINK / REASON']];
  for (const it of items) {
    rows.push([
      String(it.index), it.decision, it.published?.slice(0, 16).replace('T', ' ') ?? '-',
      it.validThrough?.slice(0, 16).replace('T', ' ') ?? '-', clip(it.title ?? '(no title)', 50),
      it.decision === 'post' ? it.url ?? '' : `${it.reason ?? it.decision}${it.url ? ` (${it.url})` : ''}`,
    ]);
  }
  for (const line of table(rows)) out(line);
}

export async function runParse(argv: string[], io: ParseIo): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.err(`banditore parse: ${args}`);
    io.err(USAGE);
    return 2;
  }
  let publisher: PublisherForParse = { id: 'parse', timezone: 'Europe/Rome' };
  if (args.config && args.publisher) {
    try {
      publisher = (io.loadPublisher ?? defaultLoadPublisher)(args.config, args.publisher);
    } catch (err) {
      io.err(`banditore parse: ${(err as Error).message}`);
      return 2;
    }
  }
  let failed = false;
  for (const source of args.sources) {
    try {
      const feed = await readSource(source, { ...(publisher.fetch ?? FETCH_DEFAULTS), publisherId: publisher.id, timezone: publisher.timezone, baseUrl: args.base });
      if (args.json) {
        for (const it of feed.items) {
          io.out(JSON.stringify({
            source, index: it.index, sourceId: it.sourceId ?? null, title: it.title ?? null, url: it.url ?? null,
            text: it.text ?? null, published: it.published ?? null, validThrough: it.validThrough ?? null,
            decision: it.decision, reason: it.reason ?? null, key: it.offer?.key ?? null, format: feed.format,
            location: it.offer?.location ?? null, contract: it.offer?.contract ?? null, employer: it.offer?.employer ?? null,
          }));
        }
      } else printTable(source, feed.format, feed.items, io.out);
    } catch (err) {
      failed = true;
      const reason = err instanceof FeedError ? err.reason : `unexpected error: ${(err as Error).message}`;
      if (args.json) io.out(JSON.stringify({ source, error: reason }));
      else io.err(`${source}  error: ${reason}`);
    }
  }
  return failed ? 1 : 0;
}
