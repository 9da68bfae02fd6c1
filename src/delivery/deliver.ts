/**
 * One attempt at one delivery task: the heart of "post once". It never retries by itself; it returns
 * or throws a DeliveryResult/RetryLater/GiveUp that the queue seam turns into BullMQ moves.
 *
 * Order matters: paused? → quiet hours? → learned waits → one in flight per account (lock) → sliding
 * windows → ledger says "sending" → network call → ledger says what happened. A `sending` or `unknown`
 * entry found at the start means a previous attempt's outcome is unknown: reconcile before sending.
 */
import type { Logger } from '../log/logger.ts';
import type { PostOutcome, RenderedPost } from '../channels/channel.ts';
import type { JobOffer } from '../domain/offer.ts';
import { RetryLater, GiveUp, type DeliveryResult, type DeliveryTask } from './task.ts';
import type { DeliveryDeps, ChannelEntry } from './deps.ts';
import { handleChannelError, toChannelError } from './on-error.ts';
import { takeSlot, settleSlot, jitter } from './slots.ts';
import { modifyPost } from './modify.ts';

/** How long an attempt waits when the account is busy with another request. */
const BUSY_DELAY_MS = 150;
/** The account lock lives this long unless renewed by its (living) holder: a killed worker frees it soon. */
const ACCOUNT_LOCK_TTL_MS = 5000;

export class Deliverer {
  constructor(private readonly d: DeliveryDeps) {}

  async attempt(task: DeliveryTask, ctx: { jobId: string; attempt: number; maxAttempts: number }): Promise<DeliveryResult> {
    const result = await this.decide(task, ctx);
    // Decisions are made on the service's clock (a test may set it); BullMQ delays run on the wall clock.
    if (result.kind === 'delay') return { ...result, until: Date.now() + Math.max(0, result.until - this.d.now()) };
    return result;
  }

  private async holdIfPaused(task: DeliveryTask, jobId: string, now: number): Promise<DeliveryResult | null> {
    const { d } = this;
    if (!(await d.channels.isPaused(task.publisher, task.network))) return null;
    await d.channels.hold(task.publisher, task.network, jobId);
    if (task.kind === 'post' || task.kind === 'digest') await d.ledger.markHeld(task.publisher, task.network, task.offerKey, now, 'channel paused');
    return { kind: 'hold', reason: 'channel paused' };
  }

  private async decide(task: DeliveryTask, ctx: { jobId: string; attempt: number; maxAttempts: number }): Promise<DeliveryResult> {
    const { d } = this;
    const entry = d.book.get(task.publisher, task.network);
    if (!entry) throw new GiveUp(`no ${task.network} channel configured for publisher ${task.publisher}`);
    const now = d.now();

    const paused = await this.holdIfPaused(task, ctx.jobId, now);
    if (paused) return paused;
    const quietEnd = d.format.quietUntil(now, entry.publisher.quietHours, entry.publisher.timezone);
    if (quietEnd !== null) {
      const spread = entry.publisher.quietHours?.spread ?? 10 * 60_000;
      return { kind: 'delay', until: quietEnd + (hashInt(ctx.jobId) % Math.max(1, spread)), reason: 'quiet hours' };
    }
    const learned = await d.gate.waitUntil([entry.channel.accountKey, entry.channel.appKey]);
    if (learned > now) return { kind: 'delay', until: learned + jitter(250), reason: 'waiting as the network asked' };

    // The scoped logger is made only for attempts that get the account: waits and bounces never log.
    const held = await d.gate.withLock(entry.channel.accountKey, ACCOUNT_LOCK_TTL_MS, () =>
      this.locked(task, entry, ctx, d.logger.child({ publisher: task.publisher, channel: task.network, offer: task.offerKey, job: ctx.jobId, attempt: ctx.attempt })));
    if (!held) return { kind: 'delay', until: now + BUSY_DELAY_MS + jitter(100), reason: 'account busy' };
    return held.value;
  }

  private async locked(task: DeliveryTask, entry: ChannelEntry, ctx: { jobId: string; attempt: number; maxAttempts: number }, log: Logger): Promise<DeliveryResult> {
    const { d } = this;
    const { publisher: pub, network: net, offerKey: key } = task;
    const now = d.now();
    // An operator may have paused the channel while this attempt waited for the account.
    const paused = await this.holdIfPaused(task, ctx.jobId, now);
    if (paused) return paused;
    const ledger = await d.ledger.get(pub, net, key);

    if (task.kind === 'post' || task.kind === 'digest') {
      if (ledger && ['posted', 'cancelled', 'skipped', 'closed'].includes(ledger.state)) return { kind: 'done', note: `already ${ledger.state}` };
      const inDoubt = Boolean(ledger && (ledger.state === 'sending' || ledger.state === 'unknown'));
      // A slow network may still commit a request we stopped waiting for: give it time before looking.
      if (inDoubt && ledger!.sendingSince && now < ledger!.sendingSince + d.postTimeoutMs + settleGrace(d.postTimeoutMs)) {
        return { kind: 'delay', until: ledger!.sendingSince + d.postTimeoutMs + settleGrace(d.postTimeoutMs), reason: 'letting an earlier attempt settle' };
      }
      let offer: JobOffer | null = null;
      let offerOpen = true;
      if (task.kind === 'post') {
        const stored = await d.offers.get(pub, key);
        if (!stored) throw new GiveUp(`offer ${key} is not stored`);
        offer = stored.offer;
        offerOpen = stored.state === 'open';
        if (!offerOpen && !inDoubt) return { kind: 'done', note: `offer ${stored.state}` };
        if (offerOpen && d.format.isExpired(offer.validThrough, now)) {
          if (!inDoubt) {
            await d.ledger.update(pub, net, key, { state: 'skipped', reason: 'expired before posting', updatedAt: now });
            return { kind: 'done', note: 'expired' };
          }
          offerOpen = false;
        }
      }
      const link = offer ? offer.url : entry.publisher.digest?.link ?? '';
      // A previous attempt may have reached the network: look before sending again. Digests share
      // one link, so they cannot be found by it: a digest re-sends its exact text instead, and the
      // network's duplicate answer tells that it is there.
      if (inDoubt && task.kind === 'post') {
        const found = await this.reconcile(task, entry, ctx, link, ledger!.sendingSince, log);
        if (found && 'kind' in found) return found;
        if (found) {
          await this.posted(task, entry, found, ledger!.contentHash, 'reconciled');
          return { kind: 'done', note: 'reconciled: already on the network' };
        }
      }
      if (!offerOpen) {
        // The offer closed while its post was in doubt, and the network shows no post: never send it.
        await d.ledger.update(pub, net, key, { state: 'cancelled', reason: 'offer closed before its post was confirmed', updatedAt: now });
        return { kind: 'done', note: 'offer closed' };
      }
      const rendered: RenderedPost = offer
        ? d.format.renderPost(offer, entry.publisher, net, entry.template).post
        : inDoubt && ledger!.text ? { text: ledger!.text, link } : d.format.renderDigest(task.count ?? 0, entry.publisher, net, link, now);
      const slot = await takeSlot(d, entry, ctx.jobId, now);
      if (typeof slot !== 'string') return slot;
      await d.ledger.markSending(pub, net, key, now, rendered.text, offer?.contentHash);
      try {
        const out = await entry.channel.post(rendered);
        await settleSlot(d, entry, slot);
        await this.posted(task, entry, out, offer?.contentHash, 'posted');
        log.info({ remoteId: out.remoteId, permalink: out.permalink }, 'posted');
        return { kind: 'done' };
      } catch (e) {
        await settleSlot(d, entry, slot);
        return handleChannelError(d, task, entry, ctx, toChannelError(e), log, {
          sentBefore: inDoubt,
          link,
          reconcile: async () => (task.kind === 'post' ? this.findQuietly(entry, link, now) : null),
          onPosted: (o) => this.posted(task, entry, o, offer?.contentHash, 'reconciled'),
        });
      }
    }

    return modifyPost(d, task, entry, ctx, ledger, log);
  }

  /**
   * Looks on the network for a post of this offer. A refusal to read teaches like any other answer
   * (a rate limit waits, a revoked token pauses the channel); any other failure retries later. The
   * ledger keeps its in-doubt state either way: never guess.
   */
  private async reconcile(task: DeliveryTask, entry: ChannelEntry, ctx: { jobId: string; attempt: number; maxAttempts: number }, link: string, since: number | undefined, log: Logger): Promise<PostOutcome | DeliveryResult | null> {
    if (!link) return null;
    try {
      const found = await entry.channel.findPostByUrl(link, { sinceMs: since ? since - 10 * 60_000 : undefined });
      log.info({ found: Boolean(found), remoteId: found?.remoteId }, 'reconciled an unknown outcome');
      return found;
    } catch (e) {
      const err = toChannelError(e);
      if (err.errorClass === 'rate-limited' || err.errorClass === 'auth' || err.errorClass === 'usage-capped') {
        // Pauses and waits only: handleChannelError leaves an in-doubt ledger entry for these classes as
        // queued/held only for sends; this is a read, so record nothing on the entry.
        return handleChannelError(this.d, { ...task, kind: 'edit' }, entry, ctx, err, log, { sentBefore: false, link, reconcile: async () => null, onPosted: async () => {} });
      }
      throw new RetryLater(`cannot check whether the post exists yet: ${err.message}`);
    }
  }

  /** A best-effort look used after a duplicate answer. */
  private async findQuietly(entry: ChannelEntry, link: string, since: number): Promise<PostOutcome | null> {
    try { return await entry.channel.findPostByUrl(link, { sinceMs: since - 10 * 60_000 }); } catch { return null; }
  }

  private async posted(task: DeliveryTask, entry: ChannelEntry, out: PostOutcome, contentHash: string | undefined, outcome: 'posted' | 'reconciled'): Promise<void> {
    const { d } = this;
    const now = d.now();
    // The ledger first: once it says "posted", nothing will send this again. The rest is bookkeeping
    // and goes out together (one round trip on a pipelining connection).
    await d.ledger.markPosted(task.publisher, task.network, task.offerKey, { remoteId: out.remoteId, permalink: out.permalink, at: now, contentHash });
    const [, , , stored] = await Promise.all([
      d.channels.recordPost(task.publisher, task.network, now),
      d.counters.post(task.publisher, task.network, outcome),
      out.hints?.waitUntil ? d.gate.learnWait(out.hints.scope === 'app' ? entry.channel.appKey : entry.channel.accountKey, out.hints.waitUntil, now) : undefined,
      task.kind === 'post' && out.remoteId ? d.offers.peek(task.publisher, task.offerKey) : null,
    ]);
    // The offer may have changed or closed while its post was in flight: follow up now that it exists.
    if (!stored) return;
    const attempts = entry.config.attempts;
    if (stored.state === 'closed') {
      await d.enqueue([{ task: { kind: 'close', publisher: task.publisher, network: task.network, offerKey: task.offerKey }, attempts, variant: 'after-post' }]);
    } else if (stored.state === 'open' && contentHash && stored.contentHash !== contentHash && task.network === 'facebook') {
      await d.enqueue([{ task: { kind: 'edit', publisher: task.publisher, network: task.network, offerKey: task.offerKey }, attempts, variant: stored.contentHash.slice(0, 12) }]);
    }
  }
}


/** How long after a post timeout a request may still land at the network. */
function settleGrace(postTimeoutMs: number): number {
  return Math.min(30_000, postTimeoutMs);
}

function hashInt(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) >>> 0;
  return h;
}
