// SPDX-License-Identifier: EUPL-1.2
/**
 * What every source does with the offers it read (a feed's poll, an inbox file, an API push, an
 * upload): new offers are saved and their posts queued (or skipped/digested), changed ones edited where
 * the network can edit, withdrawn ones that come back reopened. One function, so a ClicLavoro file in
 * an inbox and the same offer in a feed lead to the same posts. The ledger's `open` (HSETNX) and the
 * deterministic job ids keep two processes applying the same offers from posting twice; `seenAt` is
 * written only after the posts were queued, so a crash in between re-queues harmlessly.
 */
import type { Logger } from '../log/logger.ts';
import type { PublisherConfig } from '../config/schema.ts';
import type { JobOffer, NetworkName } from '../domain/offer.ts';
import { ownedBy, type OfferStore } from '../ledger/offers.ts';
import type { Ledger } from '../ledger/ledger.ts';
import { shortHash } from '../redis/keys.ts';
import type { DeliveryTask } from '../delivery/task.ts';
import type { OfferReopener } from './reopen-offer.ts';
import { quietUntil } from '../format/quiet-hours.ts';
import type { QuietRelease } from '../limits/quiet-release.ts';
import { configuredNetworks, definitionOf } from '../channels/registry.ts';

/** One delivery to queue; `delay` (ms) keeps it waiting, e.g. until quiet hours end. */
export interface QueuedTask { task: DeliveryTask; attempts: number; variant?: string; delay?: number }

export interface ApplyDeps {
  offers: OfferStore;
  ledger: Ledger;
  reopener: OfferReopener;
  enqueue: (tasks: QueuedTask[]) => Promise<void>;
  postTimeoutMs: number;
  /** Where posts held by quiet hours take their turn (absent: they all go at the end). */
  quiet?: QuietRelease;
  /** Read again just before the enqueue, so held posts are due at the end of the quiet hours itself. */
  clock?: () => number;
}

/** The source the offers came from: its owner reference (a feed URL, or a push source's name) and its rules. */
export interface ApplySource {
  /** Stored as the offers' owner (`feedUrl`); only the owner corrects or reopens an offer. */
  url: string;
  onFirstPoll: 'skip' | 'post';
  onUpdate: 'edit' | 'ignore';
}

export interface ApplyResult {
  fresh: number; skippedAtFirstPoll: number; changed: number; reopened: number;
  /** Per offer key, what became of it: new (its posts were opened by this call), known (seen before, same content or not ours), changed, reopened. */
  outcome: Map<string, 'new' | 'known' | 'changed' | 'reopened'>;
}

export async function applyOffers(d: ApplyDeps, pub: PublisherConfig, source: ApplySource, offers: JobOffer[], firstPoll: boolean, now: number, log: Logger): Promise<ApplyResult> {
  const networks = configuredNetworks(pub);
  const known = await d.offers.known(pub.id, offers.map((o) => o.key));
  const fresh = offers.filter((o) => !known.get(o.key)?.seen);
  const changed = offers.filter((o) => { const k = known.get(o.key); return k?.seen && k.state === 'open' && ownedBy(k.feed, source.url) && k.contentHash !== o.contentHash; });
  // Back in its feed after it was closed as withdrawn (never after it expired or was cancelled).
  const back = offers.filter((o) => { const k = known.get(o.key); return k?.seen && k.state === 'closed' && k.closedBy === 'withdrawn' && !k.pruned && ownedBy(k.feed, source.url); });

  // Independent writes go out together (the store connection pipelines them): a poll of a busy feed
  // must not wait for one round trip per offer while the workers keep the event loop busy.
  await Promise.all([...fresh, ...changed].map((o) => d.offers.save(o, now)));

  const silent = firstPoll && source.onFirstPoll === 'skip';
  const digest = !silent && pub.digest && fresh.length > pub.digest.over ? pub.digest : undefined;
  // Networks that post one digest instead of a flood; the others (which group offers themselves) get every offer.
  const digested = new Set(digest ? networks.filter((n) => definitionOf(n).digestPosts) : []);
  const tasks: QueuedTask[] = [];
  const opens: Promise<boolean>[] = [];
  const opener = new Map<string, Promise<boolean>[]>();
  for (const o of fresh) {
    const mine: Promise<boolean>[] = [];
    for (const net of networks) {
      if (silent || digested.has(net)) mine.push(d.ledger.open(pub.id, net, o.key, 'skipped', now, silent ? 'already in the feed at its first poll' : 'announced in a digest'));
      else {
        mine.push(d.ledger.open(pub.id, net, o.key, 'queued', now));
        tasks.push({ task: { kind: 'post', publisher: pub.id, network: net, offerKey: o.key }, attempts: attemptsOf(pub, net) });
      }
    }
    opener.set(o.key, mine);
    opens.push(...mine);
  }
  await Promise.all(opens);
  if (digest) {
    const id = `digest-${shortHash(fresh.map((o) => o.key).sort().join(','))}`;
    for (const net of digested) {
      await d.ledger.open(pub.id, net, id, 'queued', now);
      tasks.push({ task: { kind: 'digest', publisher: pub.id, network: net, offerKey: id, count: fresh.length }, attempts: attemptsOf(pub, net) });
    }
    // A digest is never closed: it ends when it is sent, and the pruner forgets it after `retention`.
    await d.offers.markEnded(pub.id, [id], now);
    log.info({ count: fresh.length, over: digest.over }, 'many new offers at once: one digest per network instead of a flood');
  }
  // A change never posts an offer again: only networks that can edit in place (Facebook, not X) are edited.
  for (const net of source.onUpdate === 'edit' ? networks.filter((n) => definitionOf(n).canEdit) : []) {
    const entries = await Promise.all(changed.map((o) => d.ledger.get(pub.id, net, o.key)));
    for (const [i, o] of changed.entries()) {
      const l = entries[i];
      const edit = { task: { kind: 'edit', publisher: pub.id, network: net, offerKey: o.key } as DeliveryTask, attempts: attemptsOf(pub, net), variant: o.contentHash.slice(0, 12) };
      if (l?.state === 'posted') tasks.push(edit);
      // A post in flight carries the old text: edit it once its outcome is known (the edit compares
      // content hashes, so it does nothing if the post went out corrected). A queued post needs no
      // edit: it renders the stored offer when it is sent.
      else if (l?.state === 'sending' || l?.state === 'unknown') tasks.push({ ...edit, delay: d.postTimeoutMs + 5000 });
    }
  }
  for (const o of back) tasks.push(...(await d.reopener.reopen(pub, o, now)));
  if (back.length) log.info({ count: back.length }, 'withdrawn offers are back in their source: reopened');
  const held = await holdForQuietHours(pub, tasks, now, d.quiet, d.clock ?? (() => now));
  if (held) log.info({ count: tasks.length, until: new Date(held).toISOString() }, 'quiet hours: posts held until they end, then spread out');
  await d.enqueue(tasks);
  await d.offers.markSeen(pub.id, fresh.map((o) => o.key), now);

  const outcome: ApplyResult['outcome'] = new Map();
  for (const o of offers) outcome.set(o.key, 'known');
  // "new" only where this call opened the posts: another process that took the same offer at the same
  // moment says "known". The first network's entry decides (the opens of several networks may interleave).
  for (const o of fresh) if ((await (opener.get(o.key)?.[0] ?? Promise.resolve(true)))) outcome.set(o.key, 'new');
  for (const o of changed) outcome.set(o.key, 'changed');
  for (const o of back) outcome.set(o.key, 'reopened');
  return { fresh: silent ? 0 : fresh.length, skippedAtFirstPoll: silent ? fresh.length : 0, changed: changed.length, reopened: back.length, outcome };
}

/**
 * Inside the publisher's quiet hours, holds each task until they end and writes its post down for the
 * night's release (src/limits/quiet-release.ts): the first held goes out at the end, the others evenly
 * over `quietHours.spread`. Returns when the quiet hours end, or null outside them. Delivery checks
 * quiet hours again, so a job that wakes early (or was queued elsewhere) is still held.
 */
async function holdForQuietHours(pub: PublisherConfig, tasks: QueuedTask[], now: number, quiet: QuietRelease | undefined, clock: () => number): Promise<number | null> {
  const end = quietUntil(now, pub.quietHours, pub.timezone);
  if (end === null || !tasks.length) return null;
  const spread = pub.quietHours?.spread ?? 0;
  const byNet = new Map<NetworkName, string[]>();
  for (const t of tasks) {
    const list = byNet.get(t.task.network) ?? [];
    if (!list.includes(t.task.offerKey)) list.push(t.task.offerKey);
    byNet.set(t.task.network, list);
  }
  await Promise.all([...byNet].map(([net, keys]) => quiet?.hold(pub.id, net, keys, end, spread, now)));
  // Delays count from the enqueue, which comes after the fetch and parse: read the clock again, so the
  // first held post is due at the end itself, not a poll's duration later.
  const delay = Math.max(1, end - clock());
  for (const t of tasks) t.delay = delay;
  return end;
}

export function attemptsOf(pub: PublisherConfig, net: NetworkName): number {
  return pub.channels[net]?.attempts ?? 8;
}
