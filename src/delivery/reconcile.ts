// SPDX-License-Identifier: EUPL-1.2
/**
 * Finding out whether a post in doubt exists (promise 1, post once). A post is in doubt when an attempt
 * wrote `sending` and never learned the answer (a timeout, a dropped connection, a killed process).
 * Per channel, `reconcile` says how to find out:
 *
 *   read   — list the account's recent posts and match the offer URL; nothing there means "send again";
 *   resend — send the ledger's exact stored text again: the network refuses identical text from one
 *            account (X: 403 "duplicate content"), so the answer itself tells: a new post (it was not
 *            there) or "duplicate" (it was: recorded as posted, its remote id unknown);
 *   auto   — read where the account's access level allows, and resend where it does not (X's Free tier
 *            answers the timeline 403 client-not-enrolled), remembering that for a while per channel.
 *
 * A network that can never be read and has no duplicate rule (`readsPosts: 'never'`, Telegram's bots)
 * allows neither: its post stays in doubt (`unknown`), the operator is alerted once, and nothing is sent.
 *
 * `resend` needs a network whose duplicate rule covers it (`ChannelDefinition.resendDetectsDuplicates`); where it
 * does not (Facebook), `auto` reads and `resend` is refused by the config schema.
 * Either way an in-doubt post is sent again with its stored text, never a fresh render: a correction
 * between the attempts must not change the text and so defeat the duplicate rule (deliver.ts).
 */
import type { Logger } from '../log/logger.ts';
import type { PostOutcome } from '../channels/channel.ts';
import { RetryLater, type DeliveryResult, type DeliveryTask } from './task.ts';
import type { DeliveryDeps, ChannelEntry } from './deps.ts';
import { handleChannelError, toChannelError } from './on-error.ts';

export type ReconcileMode = 'read' | 'resend' | 'auto';

/** What the ledger (and so the dashboard) says of a post in doubt on a network that cannot be read nor safely resent. */
export const inDoubtForOperator = (label: string) =>
  `esito in dubbio: un invio a ${label} potrebbe essere arrivato, ma ${label} non permette di leggere i post pubblicati e un nuovo invio potrebbe pubblicarlo due volte. Banditore non lo invia di nuovo: controlla il canale e decidi tu (segna come pubblicato, oppure invia comunque).`;

/** What reconciliation decided for a post in doubt. */
export type Verdict =
  | { kind: 'found'; outcome: PostOutcome }
  /** Send the stored text again: the read saw nothing (`read-absent`), or the duplicate rule will tell (`resend`). */
  | { kind: 'send'; how: 'read-absent' | 'resend' }
  /** A refusal to read that waits or pauses, like any other answer. */
  | { kind: 'result'; result: DeliveryResult };

/**
 * What a look after a duplicate answer found. `unreadable`: the access level does not include the read;
 * `not-read`: the channel reconciles by `resend` and never reads.
 */
export type Lookup = { kind: 'found'; outcome: PostOutcome } | { kind: 'absent' } | { kind: 'unreadable' } | { kind: 'not-read' };

/** How long a refused read is remembered: an upgraded tier is noticed within this. */
export const READS_REFUSED_TTL_MS = 60 * 60_000;

/** How far before the first send the read looks (clocks differ; a busy account posts in between). */
const LOOK_BACK_MS = 10 * 60_000;

/** Neither a read nor a resend can tell whether a post in doubt is there: the operator decides. */
export function undecidable(entry: ChannelEntry): boolean {
  return entry.definition.readsPosts === 'never' && !entry.definition.resendDetectsDuplicates;
}

export function reconcileMode(entry: ChannelEntry): ReconcileMode {
  return (entry.config as { reconcile?: ReconcileMode }).reconcile ?? 'auto';
}

export class Reconciler {
  constructor(private readonly d: DeliveryDeps) {}

  /** Decides how to go on with a post in doubt (see the docblock). Throws RetryLater when it cannot tell yet. */
  async decide(task: DeliveryTask, entry: ChannelEntry, ctx: { jobId: string; attempt: number; maxAttempts: number }, link: string, since: number | undefined, log: Logger): Promise<Verdict> {
    const { d } = this;
    const mode = reconcileMode(entry);
    const canResend = entry.definition.resendDetectsDuplicates;
    // The network cannot be read and has no duplicate rule: neither looking nor resending can tell, and a
    // guess could post twice. The post stays in doubt for the operator, who is told once.
    if (undecidable(entry)) return { kind: 'result', result: await this.leaveInDoubt(task, entry, log) };
    if (canResend && mode === 'resend') {
      log.info({ reconcile: mode }, 'post in doubt: sending its stored text again; a duplicate answer means it is there');
      return { kind: 'send', how: 'resend' };
    }
    if (canResend && mode === 'auto' && await d.channels.readsRefused(task.publisher, task.network, d.now())) {
      log.info({ reconcile: mode }, 'post in doubt: the account cannot be read on its access level; sending its stored text again');
      return { kind: 'send', how: 'resend' };
    }
    if (!link) return { kind: 'send', how: 'read-absent' };
    try {
      const found = await entry.channel.findPostByUrl(link, { sinceMs: since ? since - LOOK_BACK_MS : undefined });
      log.info({ found: Boolean(found), remoteId: found?.remoteId }, 'reconciled an unknown outcome');
      return found ? { kind: 'found', outcome: found } : { kind: 'send', how: 'read-absent' };
    } catch (e) {
      const err = toChannelError(e);
      if (err.readRefused) {
        if (canResend && mode === 'auto') {
          await d.channels.markReadsRefused(task.publisher, task.network, d.now() + READS_REFUSED_TTL_MS);
          log.warn({ reconcile: mode, reason: err.message }, 'the account cannot be read on its access level; reconciling by sending the stored text again');
          return { kind: 'send', how: 'resend' };
        }
        // reconcile: read never guesses: the post stays in doubt until the account can be read. The
        // ledger says why (its state stays as it is), so the operator sees it on the dashboard.
        const message = `cannot check whether the post exists (reconcile: ${mode}): ${err.message}`;
        await d.ledger.update(task.publisher, task.network, task.offerKey, { lastError: message.slice(0, 1000), lastErrorAt: d.now() });
        throw new RetryLater(message);
      }
      if (err.errorClass === 'rate-limited' || err.errorClass === 'auth' || err.errorClass === 'usage-capped') {
        // Waits and pauses only: this is a read, so the ledger entry keeps its in-doubt state.
        return { kind: 'result', result: await handleChannelError(d, { ...task, kind: 'edit' }, entry, ctx, err, log, { sentBefore: false, link, lookup: async () => ({ kind: 'absent' }), onPosted: async () => {} }) };
      }
      throw new RetryLater(`cannot check whether the post exists yet: ${err.message}`);
    }
  }

  /**
   * Ends the job with the post still in doubt (`unknown`): nothing is sent, the ledger says why, and the
   * operator is alerted the first time (a sweep that brings the post back here does not alert again).
   */
  async leaveInDoubt(task: DeliveryTask, entry: ChannelEntry, log: Logger): Promise<DeliveryResult> {
    const { d } = this;
    const now = d.now();
    const message = inDoubtForOperator(entry.definition.label);
    const before = await d.ledger.get(task.publisher, task.network, task.offerKey);
    // With an error class, the dashboard shows the note beside the post (a killed worker recorded none).
    await d.ledger.update(task.publisher, task.network, task.offerKey, { state: 'unknown', errorClass: before?.errorClass ?? 'transient', lastError: message, lastErrorAt: now, updatedAt: now });
    if (before?.lastError !== message) {
      log.error({ alert: true, inDoubt: true, sendingSince: before?.sendingSince }, `post in doubt on ${task.network}: the network cannot be read and a resend could post twice; the operator decides`);
    }
    return { kind: 'done', note: 'in doubt: the operator decides' };
  }

  /**
   * A look after the network said "duplicate". Throws when the account could not be read for another
   * reason (the caller decides what that means); never asks an account known to refuse reads, nor one
   * whose channel reconciles by resend.
   */
  async look(task: DeliveryTask, entry: ChannelEntry, link: string, since: number): Promise<Lookup> {
    const { d } = this;
    if (!link || task.kind !== 'post') return { kind: 'absent' };
    if (reconcileMode(entry) === 'resend' && entry.definition.resendDetectsDuplicates) return { kind: 'not-read' };
    if (await d.channels.readsRefused(task.publisher, task.network, d.now())) return { kind: 'unreadable' };
    try {
      const found = await entry.channel.findPostByUrl(link, { sinceMs: since - LOOK_BACK_MS });
      return found ? { kind: 'found', outcome: found } : { kind: 'absent' };
    } catch (e) {
      const err = toChannelError(e);
      if (!err.readRefused) throw err;
      await d.channels.markReadsRefused(task.publisher, task.network, d.now() + READS_REFUSED_TTL_MS);
      return { kind: 'unreadable' };
    }
  }
}
