// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore status --config FILE [--publisher ID] [--json]`: per publisher and channel the state (active,
 * or paused and why), queue counts, each limit window's use and next free slot, the last error; then
 * feed health. `--publisher` keeps one publisher's channels and feeds. Times are in each publisher's zone.
 */
import { parse, requireConfig, wordsFor, type Io } from '../args.ts';
import { publisherOption, withOperator, zoneOf } from '../session.ts';
import { makeScrubber } from '../../log/redact.ts';
import { formatDuration } from '../../config/duration.ts';
import type { ChannelStatus, StatusReport } from '../../state/operator.ts';
import type { I18n } from '../../i18n/index.ts';

export async function runStatus(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' }, publisher: { type: 'string' } }, false, io);
  const loaded = requireConfig(values, io, { network: false });
  const words = wordsFor(io, loaded);
  const only = publisherOption(loaded, values.publisher, words);
  return withOperator(loaded, words, async (op) => {
    const full = makeScrubber(loaded.secrets)(await op.status());
    const report: StatusReport = only ? { ...full, channels: full.channels.filter((c) => c.publisher === only), feeds: full.feeds.filter((f) => f.publisher === only) } : full;
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else for (const line of renderStatus(report, words, zoneOf(loaded), only)) io.out(line);
    return 0;
  });
}

function pauseText(c: ChannelStatus, w: I18n, time: (ms?: number) => string): string {
  const p = c.paused!;
  const why = p.kind === 'operator' ? w.t('pauseKindOperator', { who: p.by ?? '?' }) : p.kind === 'auth' ? w.t('pauseKindAuth') : w.t('pauseKindUsageCap');
  // An operator's pause reads "sospeso da …"; an automatic one keeps the network's words too.
  const reason = p.kind !== 'operator' && p.reason ? `: ${p.reason}` : '';
  return w.t('status_paused', { why: `${why}${reason}`, since: time(p.since) });
}

export function renderStatus(r: StatusReport, w: I18n, zoneOf: (publisher: string) => string, only?: string): string[] {
  const zones = new Set([...r.channels.map((c) => zoneOf(c.publisher)), ...r.feeds.map((f) => zoneOf(f.publisher))]);
  const headZone = only ? zoneOf(only) : zones.size === 1 ? [...zones][0]! : 'Europe/Rome';
  const out: string[] = [w.t('status_title', { at: w.time(r.generatedAt, headZone), zone: headZone }), '', w.t('status_channels')];
  if (!r.channels.length) out.push(`  ${w.t('status_noChannels')}`);
  for (const c of r.channels) {
    const time = (ms?: number) => w.time(ms, zoneOf(c.publisher));
    out.push(`  ${c.publisher}/${c.network}: ${c.state === 'paused' ? pauseText(c, w, time) : w.t('stateActive')}`);
    out.push(`    ${w.t('status_jobs', { ...c.counts })}`);
    for (const l of c.limits) {
      const next = l.nextFreeAt <= r.generatedAt ? w.t('limitFreeNow') : w.t('limitNextFree', { at: time(l.nextFreeAt) });
      out.push(`    ${w.t('status_limit', { used: l.used, max: l.max, per: formatDuration(l.perMs), next })}`);
    }
    if (c.waitUntil) out.push(`    ${w.t('waitUntil', { at: time(c.waitUntil) })}`);
    if (c.lastError) out.push(`    ${w.t('status_lastError', { errorClass: w.tOr(`class_${c.lastError.errorClass}`, c.lastError.errorClass), at: time(c.lastError.at), message: c.lastError.message })}`);
  }
  out.push('', w.t('status_feeds'));
  if (!r.feeds.length) out.push(`  ${w.t('noFeeds')}`);
  for (const f of r.feeds) {
    const time = (ms?: number) => w.time(ms, zoneOf(f.publisher));
    const result = f.lastResult === 'ok' ? w.t('resultOk') : f.lastResult === 'not-modified' ? w.t('resultNotModified') : f.lastResult === 'error' ? w.t('resultError') : w.t('never');
    out.push(`  ${f.publisher} ${f.url}`);
    out.push(`    ${w.t('status_feed', { lastPoll: time(f.lastPollAt), result, lastSuccess: time(f.lastSuccessAt), next: time(f.nextPollAt), n: f.consecutiveFailures })}`);
    if (f.lastError) out.push(`    ${w.t('status_feedError', { message: f.lastError })}`);
  }
  return out;
}
