// SPDX-License-Identifier: EUPL-1.2
/**
 * "Why was this not posted?": finds the offer an operator names (by the office's code, the offer key or
 * the feed's id for it) and tells, per channel, what the ledger, the queue and the channel's state say.
 * Used by OperatorService.findOffer; words are chosen by the caller (the CLI, the dashboard).
 */
import type { Runtime } from '../app/runtime.ts';
import type { ChannelEntry } from '../delivery/deps.ts';
import type { JobOffer } from '../domain/offer.ts';
import type { LedgerEntry } from '../ledger/ledger.ts';
import type { StoredOffer } from '../ledger/offers.ts';
import type { ChannelRunState } from './channel-state.ts';
import type { QueueInspector } from '../queue/inspect.ts';
import type { NotPostedReason, OfferChannelDetail, OfferChannelView, OfferLookup, PostJob } from './operator.ts';
import { offerKey } from '../feeds/normalize.ts';
import { jobIdFor } from '../delivery/task.ts';
import { undecidable } from '../delivery/reconcile.ts';
import { quietUntil } from '../format/quiet-hours.ts';

/** How many of a publisher's newest offers a search by office code looks through. */
const CODE_SEARCH_DEPTH = 5000;
const BATCH = 200;

const same = (a: string | undefined, b: string) => a !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();

/** Finds the offer: the key and the source id are direct reads; an office code needs a search. */
export async function locateOffer(rt: Runtime, publisher: string, code: string): Promise<{ key: string; stored: StoredOffer; matchedBy: OfferLookup['matchedBy']; others: string[] } | null> {
  const wanted = code.trim();
  if (!wanted) return null;
  for (const key of new Set([wanted.toLowerCase(), offerKey(wanted)])) {
    if (!/^[a-z0-9]+$/.test(key)) continue;
    const stored = await rt.offers.get(publisher, key);
    if (!stored) continue;
    const o = stored.offer;
    return { key, stored, others: [], matchedBy: same(o.code, wanted) ? 'code' : o.sourceId === wanted ? 'sourceId' : 'key' };
  }
  const keys = await rt.offers.list(publisher, 0, CODE_SEARCH_DEPTH);
  const hits: Array<{ key: string; stored: StoredOffer }> = [];
  for (let i = 0; i < keys.length; i += BATCH) {
    const batch = keys.slice(i, i + BATCH);
    const found = await Promise.all(batch.map((k) => rt.offers.get(publisher, k)));
    found.forEach((stored, j) => { if (stored && codeMatches(stored.offer, wanted)) hits.push({ key: batch[j]!, stored }); });
  }
  if (!hits.length) return null;
  return { ...hits[0]!, matchedBy: 'code', others: hits.slice(1).map((h) => h.key) };
}

function codeMatches(o: JobOffer, code: string): boolean {
  return same(o.code, code) || same(o.sourceId, code);
}

/** A ledger reason, as the poller and delivery write it, → what it means for an operator. */
const SKIPPED: Record<string, NotPostedReason['kind']> = {
  'already in the feed at its first poll': 'skipped-first-poll',
  'announced in a digest': 'in-digest',
  'expired before posting': 'expired',
};
const CANCELLED: Record<string, NotPostedReason['kind']> = {
  'cancelled by an operator': 'cancelled-by-operator',
  'withdrawn from the feed': 'withdrawn',
  expired: 'closed-expired',
  'offer closed before its post was confirmed': 'closed-in-doubt',
};

/** One channel's story of one offer: the ledger entry, its job, and why it is not on the network. */
export async function channelStory(rt: Runtime, inspector: QueueInspector, e: ChannelEntry, key: string, view: OfferChannelView, keys: { accountKey: string; appKey: string }): Promise<OfferChannelDetail> {
  const pub = e.publisher.id;
  const [l, job, st] = await Promise.all([
    rt.ledger.get(pub, e.network, key),
    inspector.job(jobIdFor({ kind: 'post', publisher: pub, network: e.network, offerKey: key })),
    rt.channels.get(pub, e.network),
  ]);
  const why = await whyNotPosted(rt, e, l, job, st, keys);
  return {
    ...view,
    attempts: l?.attempts ?? 0,
    ...(l?.reason ? { reason: l.reason } : {}),
    ...(l?.closedAt ? { closedAt: l.closedAt } : {}),
    ...(job ? { job } : {}),
    ...(why ? { why } : {}),
  };
}

/** Where reconciliation can neither read nor resend, a post in doubt waits for the operator, not for a look. */
const inDoubtKind = (e: ChannelEntry): 'in-doubt' | 'in-doubt-operator' => (undecidable(e) ? 'in-doubt-operator' : 'in-doubt');

async function whyNotPosted(rt: Runtime, e: ChannelEntry, l: LedgerEntry | null, job: PostJob | null, st: ChannelRunState, keys: { accountKey: string; appKey: string }): Promise<NotPostedReason | undefined> {
  if (!l) return { kind: 'not-queued' };
  const pause = st.paused ? { pause: { kind: st.kind ?? 'operator', ...(st.by ? { by: st.by } : {}), ...(st.since ? { since: st.since } : {}) } } : {};
  switch (l.state) {
    case 'posted': return undefined;
    case 'closed': return { kind: 'closed', ...(l.closedAt ? { since: l.closedAt } : {}), ...(l.reason ? { reason: l.reason } : {}) };
    case 'skipped': return { kind: SKIPPED[l.reason ?? ''] ?? 'skipped', ...(l.reason ? { reason: l.reason } : {}), ...since(l.updatedAt) };
    case 'cancelled': return { kind: CANCELLED[l.reason ?? ''] ?? 'cancelled', ...(l.reason ? { reason: l.reason } : {}), ...since(l.updatedAt) };
    case 'held': return { kind: 'held', ...pause, ...since(l.updatedAt) };
    case 'failed': return { kind: 'failed', ...(job ? { jobId: job.id } : {}), ...since(l.lastErrorAt) };
    case 'sending':
      if (job?.state === 'active') return { kind: 'sending', ...since(l.sendingSince) };
      return { kind: inDoubtKind(e), ...since(l.sendingSince), ...(job?.runAt ? { until: job.runAt } : {}) };
    case 'unknown': return { kind: inDoubtKind(e), ...since(l.sendingSince), ...(job?.runAt ? { until: job.runAt } : {}) };
  }
  // Queued: the job says when; the channel, the network's waits and the limits say why.
  if (st.paused) return { kind: 'held', ...pause };
  if (!job || job.state === 'completed') return { kind: 'not-queued' };
  if (job.state === 'active') return { kind: 'sending' };
  if (job.state !== 'delayed') return { kind: 'waiting' };
  const now = rt.now();
  const wait = await rt.gate.waitUntil([keys.accountKey, keys.appKey]);
  if (wait > now) return { kind: 'network-wait', until: wait };
  const quietEnd = quietUntil(now, e.publisher.quietHours, e.publisher.timezone);
  if (quietEnd !== null) return { kind: 'quiet-hours', until: job.runAt ?? quietEnd };
  const full = (await rt.limiter.usage(keys.accountKey, e.config.limits, now)).filter((w) => w.nextFreeAt > now);
  if (full.length) return { kind: 'limit', until: Math.max(...full.map((w) => w.nextFreeAt)) };
  if (job.attemptsMade > 0 && l.errorClass) return { kind: 'retrying', jobId: job.id, ...(job.runAt ? { until: job.runAt } : {}) };
  return { kind: 'waiting', ...(job.runAt ? { until: job.runAt } : {}) };
}

const since = (at: number | undefined) => (at ? { since: at } : {});
