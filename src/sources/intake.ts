// SPDX-License-Identifier: EUPL-1.2
/**
 * The one way a pushed document's offers come in (inbox file, offers API, dashboard upload): given the
 * parsed document, apply its offers exactly as the poller applies a feed's (src/poller/apply-offers.ts,
 * close-offer.ts, reopen-offer.ts) and say, per offer, what it became. Idempotent by the offer's
 * identity: the same document twice posts nothing the second time (the offer is "known"), and two
 * processes taking it at the same moment post once (the ledger's HSETNX and the deterministic job ids).
 *
 * Pushed offers of one publisher share one owner, `intake:<publisher>`, so an offer first dropped in the
 * inbox is corrected by an API push or an upload, and never by a feed (nor a feed's by a push).
 * A re-issue (ClicLavoro `codiceoffertaprecedente`) is the earlier offer corrected: it takes the earlier
 * offer's key (an alias remembers the new code, so a later close under it closes the same posts).
 */
import type { PublisherConfig } from '../config/schema.ts';
import type { JobOffer } from '../domain/offer.ts';
import type { Logger } from '../log/logger.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { OfferStore } from '../ledger/offers.ts';
import { ownedBy } from '../ledger/offers.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { ParsedFeed, ParsedItem } from '../feeds/pipeline.ts';
import type { ItemProblem } from '../feeds/raw-item.ts';
import { offerKey } from '../feeds/normalize.ts';
import { canonicalKey, keyFor } from '../poller/reissues.ts';
import { applyOffers, type QueuedTask } from '../poller/apply-offers.ts';
import type { OfferCloser } from '../poller/close-offer.ts';
import { OfferReopener } from '../poller/reopen-offer.ts';
import { createI18n } from '../i18n/index.ts';

export interface IntakeDeps {
  offers: OfferStore;
  ledger: Ledger;
  closer: OfferCloser;
  enqueue: (tasks: QueuedTask[]) => Promise<void>;
  redis: RedisClient;
  keys: Keys;
  logger: Logger;
  postTimeoutMs: number;
}

/** What one offer of a document became. */
export type Became = 'new' | 'known' | 'correction' | 'closed' | 'rejected';

export interface OfferOutcome {
  /** The item's index in its document. */
  index: number;
  became: Became;
  /** The offer's code as the office writes it (or its identity when it has no code). */
  code?: string;
  title?: string;
  key?: string;
  /** Why (Italian): for rejected always, for the others when there is something to say. */
  reason?: string;
  /** The item's problems, each naming the element at fault (warnings too). */
  problems?: ItemProblem[];
}

/** The owner every pushed offer of a publisher is stored under. */
export const intakeSource = (publisherId: string) => `intake:${publisherId}`;

const t = createI18n('it').t;

function rejectedReason(item: ParsedItem): string {
  switch (item.decision) {
    // The reader's own sentence for formats without links ("manca il link dell'offerta: …"), else ours.
    case 'no-link': return item.reason?.startsWith('manca') ? item.reason : t('sources_noLink');
    case 'unsafe-link': return t('sources_unsafeLink', { reason: item.reason ?? '' });
    case 'no-title': return t('sources_noTitle');
    case 'duplicate-in-feed': return t('sources_duplicate');
    case 'invalid': return (item.problems ?? []).filter((p) => p.level === 'error').map((p) => `${p.path}: ${p.message}`).join('; ') || (item.reason ?? t('sources_invalid'));
    default: return item.reason ?? t('sources_invalid');
  }
}

function describeItem(item: ParsedItem): Pick<OfferOutcome, 'index' | 'code' | 'title' | 'problems'> {
  return {
    index: item.index,
    ...(item.details?.code ?? item.sourceId ? { code: item.details?.code ?? item.sourceId } : {}),
    ...(item.title ? { title: item.title } : {}),
    ...(item.problems?.length ? { problems: item.problems } : {}),
  };
}

/**
 * Applies one parsed document's offers for `pub`. Never throws for a bad offer (it is "rejected" with
 * its reason); a Redis failure does throw, and the caller tries the whole document again (harmless).
 */
export async function intakeDocument(d: IntakeDeps, pub: PublisherConfig, parsed: ParsedFeed, now: number): Promise<OfferOutcome[]> {
  const log = d.logger.child({ publisher: pub.id, source: 'intake' });
  const source = intakeSource(pub.id);
  const out: OfferOutcome[] = [];
  const toApply: Array<{ item: ParsedItem; offer: JobOffer }> = [];
  for (const item of parsed.items) {
    const base = describeItem(item);
    if (item.decision === 'post' && item.offer) {
      const key = await keyFor(d, pub.id, item.offer.key, item.offer.replaces);
      const stored = key !== item.offer.key ? await d.offers.get(pub.id, key) : null;
      // A re-issue keeps the earlier offer's identity: the posts it already has are edited, never doubled.
      const offer: JobOffer = { ...item.offer, key, sourceId: stored?.offer.sourceId ?? item.offer.sourceId, feedUrl: source };
      toApply.push({ item, offer });
      continue;
    }
    if ((item.decision === 'closed' || item.decision === 'expired') && (item.key || item.offer)) {
      const key = await keyFor(d, pub.id, item.offer?.key ?? item.key!, item.details?.replaces);
      out.push({ ...base, key, ...(await closeOne(d, pub, key, item.decision === 'expired' ? 'expired' : 'withdrawn', now, item.validThrough)) });
      continue;
    }
    out.push({ ...base, ...(item.key ? { key: item.key } : {}), became: 'rejected', reason: rejectedReason(item) });
  }
  // Two items of one document that land on one offer (an offer and its re-issue): the later one wins.
  const byKey = new Map(toApply.map((a) => [a.offer.key, a]));
  const applied = await applyOffers({ offers: d.offers, ledger: d.ledger, reopener: new OfferReopener({ offers: d.offers, ledger: d.ledger }), enqueue: d.enqueue, postTimeoutMs: d.postTimeoutMs },
    pub, { url: source, onFirstPoll: 'post', onUpdate: 'edit' }, [...byKey.values()].map((a) => a.offer), false, now, log);
  const known = await d.offers.known(pub.id, [...byKey.keys()]);
  for (const { item, offer } of toApply) {
    const base = { ...describeItem(item), key: offer.key };
    if (byKey.get(offer.key)?.item !== item) { out.push({ ...base, became: 'known', reason: t('sources_sameOfferLater') }); continue; }
    const what = applied.outcome.get(offer.key);
    const k = known.get(offer.key);
    if (what === 'new') out.push({ ...base, became: 'new' });
    else if (what === 'changed') out.push({ ...base, became: 'correction' });
    else if (what === 'reopened') out.push({ ...base, became: 'correction', reason: t('sources_reopened') });
    else if (k && !ownedBy(k.feed, source)) out.push({ ...base, became: 'known', reason: t('sources_otherSource') });
    else if (k && k.state !== 'open') out.push({ ...base, became: 'known', reason: t('sources_staysClosed') });
    else out.push({ ...base, became: 'known' });
  }
  out.sort((a, b) => a.index - b.index);
  const counts = out.reduce<Record<string, number>>((acc, o) => { acc[o.became] = (acc[o.became] ?? 0) + 1; return acc; }, {});
  log.info({ format: parsed.format, ...counts }, 'document taken in');
  return out;
}

/**
 * Closes one pushed offer of the publisher (a document says it is closed or expired). An offer a feed
 * owns is left to its feed, which would reopen it at its next poll anyway.
 */
async function closeOne(d: IntakeDeps, pub: PublisherConfig, key: string, cause: 'withdrawn' | 'expired', now: number, validThrough?: string): Promise<Pick<OfferOutcome, 'became' | 'reason'>> {
  const stored = await d.offers.get(pub.id, key);
  if (!stored) return cause === 'expired' ? { became: 'rejected', reason: t('sources_expired', { date: validThrough ?? '?' }) } : { became: 'closed', reason: t('sources_closedUnknown') };
  if (!ownedBy(stored.offer.feedUrl, intakeSource(pub.id))) return { became: 'known', reason: t('sources_otherSource') };
  if (stored.state !== 'open') return { became: 'known', reason: t('sources_alreadyClosed') };
  await d.closer.close(pub, key, cause === 'expired' ? 'expired' : 'closed by its source', now, { cause });
  return { became: 'closed' };
}

/**
 * The offers API's DELETE: the offer with this code (its identity, or its key) is withdrawn and its
 * posts close. `unknown` when the publisher never had it pushed (a feed's offer is its feed's); `already`
 * when it is closed already.
 */
export async function withdrawOffer(d: IntakeDeps, pub: PublisherConfig, code: string, now: number): Promise<'closed' | 'already' | 'unknown'> {
  for (const candidate of [offerKey(code), code]) {
    const key = await canonicalKey(d, pub.id, candidate);
    const stored = await d.offers.get(pub.id, key);
    // Only a pushed offer is withdrawn here: a feed's offer is its feed's to close (it would reopen it).
    if (!stored || !ownedBy(stored.offer.feedUrl, intakeSource(pub.id))) continue;
    if (stored.state !== 'open') return 'already';
    return (await d.closer.close(pub, key, 'withdrawn through the offers API', now, { cause: 'withdrawn' })) ? 'closed' : 'already';
  }
  return 'unknown';
}
