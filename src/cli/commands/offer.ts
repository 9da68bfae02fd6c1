// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore offer --config FILE PUBLISHER CODE [--json]`: one offer and, per channel, its ledger state,
 * attempts, remote id, permalink, last error and why it was not posted: the answer to "why was this not
 * posted?" that `parse` (which sees only the feed) cannot give. CODE is the office's offer code, the
 * offer key or the feed's id for it; the output says which matched.
 */
import { parse, requireConfig, wordsFor, type Io } from '../args.ts';
import { publisherOption, withOperator } from '../session.ts';
import { ConfigError } from '../../config/load.ts';
import type { NotPostedReason, OfferChannelDetail, OfferLookup } from '../../state/operator.ts';
import type { I18n } from '../../i18n/index.ts';

export async function runOffer(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } }, true, io);
  const loaded = requireConfig(values, io, { network: false });
  const w = wordsFor(io, loaded);
  if (positionals.length !== 2) throw new ConfigError(w.t('offer_usage'));
  const [publisher, code] = positionals as [string, string];
  publisherOption(loaded, publisher, w);
  return withOperator(loaded, w, async (op) => {
    const found = await op.findOffer(publisher, code);
    if (!found) {
      if (values.json) io.out(JSON.stringify({ publisher, code, found: false }));
      else io.err(w.t('offer_notFound', { publisher, code }));
      return 1;
    }
    if (values.json) io.out(JSON.stringify(found, null, 2));
    else for (const line of renderOffer(found, w, loaded.config.publishers.find((p) => p.id === publisher)?.name ?? publisher)) io.out(line);
    return 0;
  });
}

export function renderOffer(found: OfferLookup, w: I18n, publisherName: string): string[] {
  const o = found.offer;
  const time = (ms?: number) => w.time(ms, o.timezone);
  const deadline = o.validThrough ? time(Date.parse(o.validThrough)) : w.t('dash');
  const rows: Array<[string, string]> = [
    [w.t('offer_fieldTitle'), o.title],
    [w.t('offer_fieldCode'), o.code ?? w.t('dash')],
    [w.t('offer_fieldPlace'), o.location ?? w.t('dash')],
    [w.t('offer_fieldContract'), o.contract ?? w.t('dash')],
    [w.t('offer_fieldDeadline'), deadline],
    [w.t('offer_fieldLink'), o.url],
    [w.t('offer_fieldState'), w.tOr(`offer_${o.state}`, o.state)],
    [w.t('offer_fieldSource'), o.feedUrl],
    [w.t('offer_fieldSourceId'), o.sourceId],
    [w.t('offer_fieldKey'), o.key],
    [w.t('offer_fieldFirstSeen'), time(o.firstSeenAt)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 1;
  const out = [
    w.t('offer_heading', { code: o.code ?? o.key, publisher: publisherName }),
    w.t('offer_matched', { how: w.t(`offer_matchedBy_${found.matchedBy}`), code: found.matchedBy === 'key' ? o.key : found.matchedBy === 'sourceId' ? o.sourceId : o.code ?? '' }),
    ...(found.others.length ? [w.t('offer_others', { n: found.others.length, keys: found.others.slice(0, 5).join(', ') })] : []),
    '',
    ...rows.map(([k, v]) => `  ${`${k}:`.padEnd(width)} ${v}`),
  ];
  for (const c of o.channels) out.push('', ...channelLines(c, o.publisher, w, time));
  return out;
}

function channelLines(c: OfferChannelDetail, publisher: string, w: I18n, time: (ms?: number) => string): string[] {
  const out = [`  ${w.network(c.network)} (${publisher}/${c.network}): ${w.tOr(`post_${c.state}`, c.state)}`];
  const facts = [w.t('offer_attempts', { n: c.attempts })];
  if (c.remoteId) facts.push(w.t('offer_remoteId', { id: c.remoteId }));
  if (c.postedAt) facts.push(w.t('offer_postedAt', { at: time(c.postedAt) }));
  out.push(`    ${facts.join(' · ')}`);
  if (c.permalink) out.push(`    ${w.t('offer_permalink', { link: c.permalink })}`);
  if (c.lastError) out.push(`    ${w.t('offer_lastError', { errorClass: w.tOr(`class_${c.lastError.errorClass}`, c.lastError.errorClass), message: c.lastError.message, at: time(c.lastError.at) })}`);
  if (c.why) out.push(`    ${w.t('offer_why', { why: whyText(c.why, publisher, c.network, w, time) })}`);
  if (c.job) out.push(`    ${w.t('offer_job', { id: c.job.id, state: w.tOr(`job_${c.job.state}`, c.job.state) })}`);
  return out;
}

/** The reason in words, with what the operator can do about it. */
export function whyText(r: NotPostedReason, publisher: string, network: string, w: I18n, time: (ms?: number) => string): string {
  const params = {
    until: time(r.until), since: time(r.since), reason: r.reason ?? '', job: r.jobId ?? '', target: `${publisher}/${network}`,
    pause: r.pause ? (r.pause.kind === 'operator' ? w.t('pauseKindOperator', { who: r.pause.by ?? '?' }) : r.pause.kind === 'auth' ? w.t('pauseKindAuth') : w.t('pauseKindUsageCap')) : w.t('why_pauseEnding'),
  };
  return w.tOr(`why_${r.kind}`, r.reason ?? r.kind, params);
}
