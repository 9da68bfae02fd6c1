// SPDX-License-Identifier: EUPL-1.2
/**
 * One attempt at one delivery task: the heart of "post once". It never retries by itself; it returns
 * or throws a DeliveryResult/RetryLater/GiveUp that the queue seam turns into BullMQ moves.
 *
 * Order matters: paused? → quiet hours? → learned waits → one in flight per account (lock) → sliding
 * windows → ledger says "sending" → network call → ledger says what happened. A `sending` or `unknown`
 * entry found at the start means a previous attempt's outcome is unknown: reconcile before sending
 * (reconcile.ts: read the account's posts, or send the stored text again where the duplicate rule tells).
 */
import type { Logger } from '../log/logger.ts';
import type { PostOutcome, RenderedPost } from '../channels/channel.ts';
import type { JobOffer } from '../domain/offer.ts';
import { RetryLater, GiveUp, type DeliveryResult, type DeliveryTask } from './task.ts';
import type { DeliveryDeps, ChannelEntry } from './deps.ts';
import { handleChannelError, toChannelError } from './on-error.ts';
import { settleSlot, jitter, inFlightMs, settleGrace } from './slots.ts';
import { AccountGate } from '../limits/account-gate.ts';
import type { AttemptSubject } from './attempt-store.ts';
import type { LedgerEntry } from '../ledger/ledger.ts';
import type { StoredOffer } from '../ledger/offers.ts';
import { modifyPost } from './modify.ts';
import { Reconciler, undecidable } from './reconcile.ts';

/** How long an attempt waits when the account is busy with another request. */
const BUSY_DELAY_MS = 150;
/** The account lock lives this long unless renewed by its (living) holder: a killed worker frees it soon. */
const ACCOUNT_LOCK_TTL_MS = 5000;

export class Deliverer {
  private readonly reconciler: Reconciler;

  constructor(private readonly d: DeliveryDeps) {
    this.reconciler = new Reconciler(d);
  }

  async attempt(task: DeliveryTask, ctx: AttemptContext): Promise<DeliveryResult> {
    const result = await this.decide(task, ctx);
    // Decisions are made on the service's clock (a test may set it); BullMQ delays run on the wall clock.
    if (result.kind === 'delay') return { ...result, until: Date.now() + Math.max(0, result.until - this.d.now()) };
    return result;
  }

  /** The channel is paused: park the job until resume, and show its post as held. */
  private async hold(task: DeliveryTask, jobId: string, now: number): Promise<DeliveryResult> {
    const { d } = this;
    await d.channels.hold(task.publisher, task.network, jobId);
    if (task.kind === 'post' || task.kind === 'digest') await d.ledger.markHeld(task.publisher, task.network, task.offerKey, now, 'channel paused');
    return { kind: 'hold', reason: 'channel paused' };
  }

  private async decide(task: DeliveryTask, ctx: AttemptContext): Promise<DeliveryResult> {
    const { d } = this;
    const entry = d.book.get(task.publisher, task.network);
    if (!entry) throw new GiveUp(`no ${task.network} channel configured for publisher ${task.publisher}`);
    const now = d.now();
    const quietEnd = d.format.quietUntil(now, entry.publisher.quietHours, entry.publisher.timezone);
    // Just after the quiet hours: a post they held waits for its turn (before the account lock is taken).
    if (quietEnd === null) {
      const turn = await this.quietTurn(task, entry, now);
      if (turn !== null) return { kind: 'delay', until: turn, reason: 'quiet hours: waiting for its turn' };
    }
    const subject = subjectOf(task, entry);
    const lease: Lease = { token: AccountGate.token(), released: false };
    // One round trip: paused? quiet? waits? then the account lock, the ledger entry and the offer.
    const admission = await d.attempts.admit(subject, { now, token: lease.token, lockTtlMs: ACCOUNT_LOCK_TTL_MS, quiet: quietEnd !== null, readOffer: task.kind === 'post' });
    switch (admission.kind) {
      case 'paused': return this.hold(task, ctx.jobId, now);
      case 'quiet': {
        // Held until the end; the night's list gives it its turn then (src/limits/quiet-release.ts).
        await d.quiet?.hold(task.publisher, task.network, [task.offerKey], quietEnd!, entry.publisher.quietHours?.spread ?? 0, now);
        return { kind: 'delay', until: quietEnd!, reason: 'quiet hours' };
      }
      case 'wait': return { kind: 'delay', until: admission.until + jitter(250), reason: 'waiting as the network asked' };
      case 'busy': return { kind: 'delay', until: now + BUSY_DELAY_MS + jitter(100), reason: 'account busy' };
    }
    // The account is ours until released. The scoped logger is made only here: waits and bounces never log.
    const kept = d.gate.keepAlive(entry.channel.accountKey, lease.token, ACCOUNT_LOCK_TTL_MS);
    lease.lost = kept.signal;
    try {
      return await this.locked(task, entry, ctx, admission.ledger, admission.offer, lease, scopedLogger(d.logger, task, ctx));
    } finally {
      kept.stop();
      if (!lease.released) await d.gate.unlock(entry.channel.accountKey, lease.token);
    }
  }

  /**
   * Within `spread` after the quiet hours ended, the instant a post they held may go out, when that is
   * still ahead; null otherwise (not held, its turn came, or no quiet hours).
   */
  private async quietTurn(task: DeliveryTask, entry: ChannelEntry, now: number): Promise<number | null> {
    const q = entry.publisher.quietHours;
    if (!q || !this.d.quiet) return null;
    const end = this.d.format.lastQuietEnd(now, q, entry.publisher.timezone);
    if (end === null || now >= end + q.spread) return null;
    const at = await this.d.quiet.releaseAt(task.publisher, task.network, task.offerKey, end, q.spread);
    return at !== null && at > now ? at : null;
  }

  private async locked(task: DeliveryTask, entry: ChannelEntry, ctx: AttemptContext, ledger: LedgerEntry | null, stored: StoredOffer | null, lease: Lease, log: Logger): Promise<DeliveryResult> {
    const { d } = this;
    const { publisher: pub, network: net, offerKey: key } = task;
    const now = d.now();

    if (task.kind === 'post' || task.kind === 'digest') {
      if (ledger && ['posted', 'cancelled', 'skipped', 'closed'].includes(ledger.state)) return { kind: 'done', note: `already ${ledger.state}` };
      // An operator said it is not on the network and must not go ("segna come non pubblicato"): only
      // their "invia comunque" sends it again (which clears the mark).
      if (ledger?.state === 'failed' && ledger.markedBy) return { kind: 'done', note: 'marked not posted by an operator' };
      const inDoubt = Boolean(ledger && (ledger.state === 'sending' || ledger.state === 'unknown'));
      // A slow network may still commit a request we stopped waiting for: give it time before looking.
      if (inDoubt && ledger!.sendingSince && now < ledger!.sendingSince + d.postTimeoutMs + settleGrace(d.postTimeoutMs)) {
        return { kind: 'delay', until: ledger!.sendingSince + d.postTimeoutMs + settleGrace(d.postTimeoutMs), reason: 'letting an earlier attempt settle' };
      }
      let offer: JobOffer | null = null;
      let offerOpen = true;
      if (task.kind === 'post') {
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
      // A previous attempt may have reached the network: find out before sending again (reconcile.ts).
      // Digests share one link, so they cannot be found by it: a digest re-sends its exact text instead,
      // and the network's duplicate answer tells that it is there.
      // A digest in doubt on a network that can neither be read nor refuses a repeat stays in doubt too.
      if (inDoubt && task.kind === 'digest' && undecidable(entry)) return this.reconciler.leaveInDoubt(task, entry, log);
      if (inDoubt && task.kind === 'post') {
        const verdict = await this.reconciler.decide(task, entry, ctx, link, ledger!.sendingSince, log);
        if (verdict.kind === 'result') return verdict.result;
        if (verdict.kind === 'found') {
          await this.posted(task, entry, verdict.outcome, { contentHash: ledger!.contentHash, outcome: 'reconciled', lease });
          return { kind: 'done', note: 'reconciled: already on the network' };
        }
      }
      if (!offerOpen) {
        // The offer closed while its post was in doubt, and the network shows no post: never send it.
        await d.ledger.update(pub, net, key, { state: 'cancelled', reason: 'offer closed before its post was confirmed', updatedAt: now });
        return { kind: 'done', note: 'offer closed' };
      }
      // An in-doubt post goes again with the very text it was first sent with, never a fresh render: a
      // correction in between must not change the text and so slip past the network's duplicate rule.
      // (Its content version goes with it, so a later correction still edits it where the network can.)
      // "Invia comunque" (an operator's deliberate re-send) goes with the stored text too.
      const resendStored = (inDoubt || ledger?.sendAnyway === '1') && Boolean(ledger?.text);
      const text: RenderedPost = resendStored
        ? { text: ledger!.text!, link }
        : offer ? d.format.renderPost(offer, entry.publisher, net, entry.template).post : d.format.renderDigest(task.count ?? 0, entry.publisher, net, link, now);
      const rendered: RenderedPost = offer ? { ...text, offer } : text;
      const contentHash = resendStored ? ledger!.contentHash : offer?.contentHash;
      // One round trip: a slot in every limit window and the ledger's "sending", before the call.
      // Fenced: the lock must still be this attempt's and the entry the one admit read.
      const slot = `${now}-${ctx.jobId}`;
      await d.beforeCommit?.(task);
      const committed = lease.lost?.aborted ? { kind: 'fenced' as const, why: 'lock' as const }
        : await d.attempts.commitSend(subjectOf(task, entry), { now, token: lease.token, rev: ledger?.rev ?? 0, slot, windows: entry.config.limits, text: rendered.text, contentHash, inFlightMs: inFlightMs(d), waiter: ctx.jobId });
      if (committed.kind === 'fenced') return stepBack(log, committed.why, now);
      if (committed.kind === 'wait') return { kind: 'delay', until: committed.until + jitter(250), reason: 'waiting as the network asked' };
      // `until` is this job's turn among the account's waiters (staggered), not the window's next free slot.
      if (committed.kind === 'limit') {
        await d.counters.windowWait(pub, net);
        return { kind: 'delay', until: committed.until + jitter(50), reason: 'account limit reached' };
      }
      // The lock lost after the commit (a renewal found it gone): send nothing; the entry says "sending",
      // so the next attempt looks on the network before it sends.
      if (lease.lost?.aborted) return stepBack(log, 'lock', now);
      let out: PostOutcome;
      try {
        out = await entry.channel.post(rendered);
      } catch (e) {
        const err = toChannelError(e);
        // An outcome we do not know may still land after we stopped waiting: its slot counts from then.
        await settleSlot(d, entry, slot, { kind: 'post', unknownOutcome: err.unknownOutcome });
        return handleChannelError(d, task, entry, ctx, err, log, {
          sentBefore: inDoubt,
          link,
          lookup: () => this.reconciler.look(task, entry, link, ledger?.sendingSince ?? now),
          onPosted: (o) => this.posted(task, entry, o, { contentHash, outcome: 'reconciled', lease }),
        });
      }
      await this.posted(task, entry, out, { contentHash, outcome: 'posted', lease, slot });
      // The root logger with the scope's fields: the same line, without building a child for every post.
      d.logger.info({ ...scopeOf(task, ctx), remoteId: out.remoteId, permalink: out.permalink }, 'posted');
      return { kind: 'done' };
    }

    return modifyPost(d, task, entry, ctx, ledger, log);
  }

  /**
   * The post exists: one atomic step records it (ledger first among equals: once it says "posted",
   * nothing sends this again), settles its slot, keeps what the answer taught and releases the account.
   */
  private async posted(task: DeliveryTask, entry: ChannelEntry, out: PostOutcome, o: { contentHash?: string; outcome: 'posted' | 'reconciled'; lease: Lease; slot?: string }): Promise<void> {
    const { d } = this;
    const now = d.now();
    const wait = out.hints?.waitUntil ? { scopeKey: out.hints.scope === 'app' ? entry.channel.appKey : entry.channel.accountKey, until: out.hints.waitUntil } : undefined;
    const stored = await d.attempts.finishPosted(subjectOf(task, entry), {
      now, remoteId: out.remoteId, permalink: out.permalink, contentHash: o.contentHash, outcome: o.outcome,
      slot: o.slot, windows: entry.config.limits, token: o.lease.released ? undefined : o.lease.token, wait,
    });
    o.lease.released = true;
    // The offer may have changed or closed while its post was in flight: follow up now that it exists.
    if (task.kind !== 'post' || !out.remoteId || !stored) return;
    const attempts = entry.config.attempts;
    if (stored.state === 'closed') {
      await d.enqueue([{ task: { kind: 'close', publisher: task.publisher, network: task.network, offerKey: task.offerKey }, attempts, variant: 'after-post' }]);
    } else if (stored.state === 'open' && o.contentHash && stored.contentHash !== o.contentHash && entry.definition.canEdit) {
      await d.enqueue([{ task: { kind: 'edit', publisher: task.publisher, network: task.network, offerKey: task.offerKey }, attempts, variant: stored.contentHash.slice(0, 12) }]);
    }
  }
}

interface AttemptContext { jobId: string; attempt: number; maxAttempts: number }

/**
 * The account lock of one attempt: its token, whether it was already released (by finishPosted), and
 * the signal keepAlive aborts when a renewal finds the lock lost.
 */
interface Lease { token: string; released: boolean; lost?: AbortSignal }

/**
 * The fence held: another attempt may have taken this job over while this one stalled, and posted.
 * Nothing was sent; the job comes back in a moment (no attempt spent) and is admitted afresh.
 */
function stepBack(log: Logger, why: 'lock' | 'ledger', now: number): DeliveryResult {
  log.warn({ fence: why }, why === 'lock' ? 'account lock lost before the post; sending nothing' : 'the post changed since this attempt began; sending nothing');
  return { kind: 'delay', until: now + BUSY_DELAY_MS + jitter(100), reason: 'another attempt took over' };
}

function scopeOf(task: DeliveryTask, ctx: AttemptContext) {
  return { publisher: task.publisher, channel: task.network, offer: task.offerKey, job: ctx.jobId, attempt: ctx.attempt };
}

/**
 * The attempt's scoped logger ({publisher, channel, offer, job, attempt}), built on first use: most
 * attempts end in one "posted" line, and a pino child per attempt cost more than the line itself.
 */
function scopedLogger(root: Logger, task: DeliveryTask, ctx: AttemptContext): Logger {
  let child: Logger | undefined;
  return new Proxy({} as Logger, {
    get(_, prop) {
      child ??= root.child(scopeOf(task, ctx));
      const v = Reflect.get(child, prop, child) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(child) : v;
    },
  });
}

function subjectOf(task: DeliveryTask, entry: ChannelEntry): AttemptSubject {
  return { publisher: task.publisher, network: task.network, offerKey: task.offerKey, accountKey: entry.channel.accountKey, appKey: entry.channel.appKey };
}
