// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore parse [--json] [--publisher ID --config FILE] [--base URL] [--link TEMPLATE] SOURCE...`: runs
 * files or URLs (feeds, JSON-LD, ClicLavoro, MyPortal, HR-Open documents) through the poller's own path
 * and shows, per item, what would happen and why — the operator's answer to "why was this offer not
 * posted?". A failing source prints its error and the others go on.
 */
import { FeedError } from '../../feeds/errors.ts';
import { readSource, type ParsedItem } from '../../feeds/pipeline.ts';
import { describeRemoved } from '../../feeds/contacts.ts';
import { linkTemplateProblem } from '../../feeds/link-template.ts';
import { formatDeadline } from '../../format/dates.ts';
import { formatSalary } from '../../format/salary.ts';
import { loadConfig } from '../../config/load.ts';
import { readEnvironment } from '../../config/env.ts';
import { createI18n, DEFAULT_LANGUAGE, type I18n, type Language } from '../../i18n/index.ts';

interface PublisherForParse {
  id: string;
  timezone: string;
  /** The config's `fetch` section, so `parse` fetches exactly like the poller. */
  fetch?: typeof FETCH_DEFAULTS;
  /** The config's `dashboard.language`: the table speaks it unless `--lang` says otherwise. */
  language?: Language;
  /** The publisher's `inbox.link`, when its config has one: the link of offers whose format carries none. */
  linkTemplate?: string;
  /** `publishers[].allowedContacts`: the office's own addresses, kept in texts. */
  allowedContacts?: readonly string[];
}

export interface ParseIo {
  out: (line: string) => void;
  err: (line: string) => void;
  loadPublisher?: (configFile: string, id: string) => PublisherForParse;
  /** `--lang`, when given. */
  lang?: Language;
}

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
  if (!p) throw new Error(createI18n(config.dashboard.language).t('parse_unknownPublisher', { publisher: id, file: configFile, known: config.publishers.map((x) => x.id).join(', ') }));
  const f = config.fetch;
  // `inbox` belongs to the inbox source: read only its `link`, when the config has one.
  const inbox = (p as Record<string, unknown>)['inbox'];
  const link = inbox && typeof inbox === 'object' ? (inbox as Record<string, unknown>)['link'] : undefined;
  return {
    id: p.id, timezone: p.timezone, language: config.dashboard.language,
    fetch: { timeoutMs: f.timeout, connectTimeoutMs: f.connectTimeout, maxBytes: f.maxBytes, maxRedirects: f.maxRedirects, perHost: f.perHost, userAgent: f.userAgent },
    linkTemplate: typeof link === 'string' ? link : undefined,
    allowedContacts: p.allowedContacts,
  };
}

interface Args { json: boolean; publisher?: string; config?: string; base?: string; link?: string; sources: string[] }

function parseArgs(argv: string[], w: I18n): Args | string {
  const a: Args = { json: false, sources: [] };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i]!;
    if (v === '--json') a.json = true;
    else if (v === '--publisher' || v === '--config' || v === '--base' || v === '--link') {
      const value = argv[++i];
      if (value === undefined) return w.t('parse_needsValue', { option: v });
      if (v === '--publisher') a.publisher = value; else if (v === '--config') a.config = value; else if (v === '--base') a.base = value; else a.link = value;
    } else if (v.startsWith('--publisher=')) a.publisher = v.slice(12);
    else if (v.startsWith('--config=')) a.config = v.slice(9);
    else if (v.startsWith('--base=')) a.base = v.slice(7);
    else if (v.startsWith('--link=')) a.link = v.slice(7);
    else if (v === '--') a.sources.push(...argv.slice(i + 1)), (i = argv.length);
    else if (v.startsWith('--')) return w.t('cli_unknownOption', { option: v });
    else a.sources.push(v);
  }
  if (a.sources.length === 0) return w.t('parse_noSource');
  if ((a.publisher === undefined) !== (a.config === undefined)) return w.t('parse_publisherAndConfig');
  if (a.base !== undefined && !/^https?:\/\/[^/]/i.test(a.base)) return w.t('parse_badBase');
  const linkProblem = a.link === undefined ? undefined : linkTemplateProblem(a.link);
  if (linkProblem) return `--link: ${linkProblem}`;
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

/** What the operator reads for a decision: its catalogue word (`decision_…`), or the decision itself. */
const decisionWord = (d: string, w: I18n) => w.tOr(`decision_${d}`, d);

/** The pipeline's reason, in the operator's words where the decision alone says it. */
function reasonText(it: ParsedItem, w: I18n, timezone: string): string {
  if (it.decision === 'expired' && it.validThrough) return w.t('parse_reasonExpired', { at: w.time(Date.parse(it.validThrough), timezone) });
  if (it.decision === 'duplicate-in-feed' || it.decision === 'no-title' || (it.decision === 'no-link' && it.reason === 'item has no link')) return w.t(`parse_reason_${it.decision}`);
  return it.reason ?? decisionWord(it.decision, w);
}

function printTable(source: string, format: string, items: ParsedItem[], out: (l: string) => void, w: I18n, timezone: string): void {
  const counts = new Map<string, number>();
  for (const it of items) counts.set(it.decision, (counts.get(it.decision) ?? 0) + 1);
  const summary = [...counts].map(([d, n]) => `${n} ${decisionWord(d, w)}`).join(', ');
  out(`${source}  (${format}, ${summary ? w.t('parse_summary', { items: w.t('count_items', { n: items.length }), summary }) : w.t('count_items', { n: 0 })})`);
  if (items.length === 0) return;
  const date = (iso: string | undefined) => (iso ? w.time(Date.parse(iso), timezone) : '-');
  const rows = [['#', w.t('parse_colDecision'), w.t('parse_colPublished'), w.t('parse_colValidThrough'), w.t('parse_colTitle'), w.t('parse_colLink')]];
  for (const it of items) {
    rows.push([
      String(it.index), decisionWord(it.decision, w), date(it.published), date(it.validThrough), clip(it.title ?? w.t('parse_noTitle'), 50),
      it.decision === 'post' ? it.url ?? '' : `${reasonText(it, w, timezone)}${it.url ? ` (${it.url})` : ''}`,
    ]);
  }
  for (const line of table(rows)) out(line);
  // Below the table, what each offer says beyond its title (the formats of the employment services
  // carry place, contract, pay, closure and re-issue; any source may have had contacts removed).
  for (const it of items) {
    const lines = detailLines(it, timezone);
    if (!lines.length) continue;
    out(`#${it.index} ${it.details?.code ? `rif. ${it.details.code}` : it.sourceId ?? ''}`.trimEnd());
    for (const l of lines) out(`    ${l}`);
  }
}

function place(it: ParsedItem): string | undefined {
  const d = it.details;
  return d?.location ? `${d.location}${d.province ? ` (${d.province})` : ''}` : undefined;
}

/** Offer facts for the operator, in Italian; [] when the item has none worth a line. */
function detailLines(it: ParsedItem, timezone: string): string[] {
  const d = it.details ?? {};
  const facts = [
    place(it) && `luogo: ${place(it)}`,
    d.contract && `contratto: ${d.contract}`,
    d.hours && `orario: ${d.hours}`,
    d.positions && `posti: ${d.positions}`,
    it.validThrough && `scadenza: ${formatDeadline(it.validThrough, timezone)}`,
    d.salary && `retribuzione: ${formatSalary(d.salary)}`,
  ].filter(Boolean) as string[];
  const lines: string[] = [];
  if (facts.length && (d.code || d.salary || d.contract || d.location)) lines.push(facts.join(' · '));
  if (d.closed) lines.push(`offerta chiusa${d.closedReason ? ` (${d.closedReason})` : ''}: i suoi post vengono chiusi`);
  if (d.replaces) lines.push(`sostituisce l'offerta ${d.replaces} (una correzione, non un nuovo post)`);
  const removed = describeRemoved(it.removedContacts);
  if (removed) lines.push(`dati personali: ${removed}`);
  for (const p of (it.problems ?? []).filter((x) => x.message !== it.reason)) lines.push(`${p.level === 'error' ? 'errore' : 'avviso'}: ${p.message}`);
  return lines;
}

export async function runParse(argv: string[], io: ParseIo): Promise<number> {
  let w = createI18n(io.lang ?? DEFAULT_LANGUAGE);
  const args = parseArgs(argv, w);
  if (typeof args === 'string') {
    io.err(`banditore parse: ${args}`);
    io.err(w.t('parse_usage'));
    return 2;
  }
  let publisher: PublisherForParse = { id: 'parse', timezone: 'Europe/Rome' };
  if (args.config && args.publisher) {
    try {
      publisher = (io.loadPublisher ?? defaultLoadPublisher)(args.config, args.publisher);
      if (!io.lang && publisher.language) w = createI18n(publisher.language);
    } catch (err) {
      io.err(`banditore parse: ${(err as Error).message}`);
      return 2;
    }
  }
  let failed = false;
  for (const source of args.sources) {
    try {
      const feed = await readSource(source, {
        ...(publisher.fetch ?? FETCH_DEFAULTS), publisherId: publisher.id, timezone: publisher.timezone, baseUrl: args.base,
        linkTemplate: args.link ?? publisher.linkTemplate, allowedContacts: publisher.allowedContacts,
      });
      if (args.json) {
        for (const it of feed.items) {
          const d = it.details ?? {};
          io.out(JSON.stringify({
            source, index: it.index, sourceId: it.sourceId ?? null, title: it.title ?? null, url: it.url ?? null,
            text: it.text ?? null, published: it.published ?? null, validThrough: it.validThrough ?? null,
            decision: it.decision, reason: it.reason ?? null, key: it.key ?? it.offer?.key ?? null, format: feed.format,
            location: d.location ?? null, contract: d.contract ?? null, employer: d.employer ?? null,
            code: d.code ?? null, province: d.province ?? null, hours: d.hours ?? null, positions: d.positions ?? null,
            deadline: it.validThrough ? formatDeadline(it.validThrough, publisher.timezone) : null,
            salary: d.salary ? formatSalary(d.salary) : null, salaryAmount: d.salary ?? null,
            closed: d.closed ?? false, closedReason: d.closedReason ?? null, replaces: d.replaces ?? null,
            removedContacts: it.removedContacts ?? null, removed: describeRemoved(it.removedContacts) || null,
            problems: it.problems ?? [],
          }));
        }
      } else printTable(source, feed.format, feed.items, io.out, w, publisher.timezone);
    } catch (err) {
      failed = true;
      const reason = err instanceof FeedError ? err.reason : `unexpected error: ${(err as Error).message}`;
      if (args.json) io.out(JSON.stringify({ source, error: reason }));
      else io.err(`${source}  ${w.t('parse_error', { reason })}`);
    }
  }
  return failed ? 1 : 0;
}
