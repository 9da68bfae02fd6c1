// SPDX-License-Identifier: EUPL-1.2
/**
 * What each class of network answer means for the job, the ledger and the channel (promise 3):
 * transient → retry with backoff; rate-limited → wait as told, no attempt spent; auth (a refused token,
 * a blocked or suspended account, a token without the permission to post) and usage cap → pause this
 * publisher's channel only, alert once, keep the job; duplicate → "already posted" when we had sent it
 * before, and when no send was recorded (Redis may have lost the `sending` mark) look first: found, or
 * an account that cannot be read, is "posted"; permanent → final, with the network's message.
 */
import type { Logger } from '../log/logger.ts';
import { ChannelError, type PostOutcome } from '../channels/channel.ts';
import { RetryLater, GiveUp, type DeliveryResult, type DeliveryTask } from './task.ts';
import type { DeliveryDeps, ChannelEntry } from './deps.ts';
import type { Lookup } from './reconcile.ts';

/** When a refusal names no time, wait this long before the account's next attempt. */
const DEFAULT_RATE_WAIT_MS = 60_000;

/** The ledger's note on a post the network says exists but that could not be seen (shown to operators). */
export const REMOTE_ID_UNKNOWN = "pubblicato: la rete ha risposto «contenuto duplicato» ma i post dell'account non si possono leggere; l'id del post si troverà quando si potranno leggere";
/** The same, on a channel that reconciles by resend and so never reads. */
export const REMOTE_ID_NOT_READ = "pubblicato: la rete ha risposto «contenuto duplicato»; con reconcile: resend i post dell'account non vengono letti, quindi l'id del post non è noto";

export interface ErrorOptions {
  /** The attempt had sent this post before (the ledger was in doubt). */
  sentBefore: boolean;
  link: string;
  /** Looks on the network for this post (after a duplicate answer); may throw when it cannot read. */
  lookup: () => Promise<Lookup>;
  onPosted: (o: PostOutcome) => Promise<void>;
}

export async function handleChannelError(
  d: DeliveryDeps,
  task: DeliveryTask,
  entry: ChannelEntry,
  ctx: { jobId: string; attempt: number; maxAttempts: number },
  err: ChannelError,
  log: Logger,
  opts: ErrorOptions,
): Promise<DeliveryResult> {
  const { publisher: pub, network: net, offerKey: key } = task;
  const now = d.now();
  const isSend = task.kind === 'post' || task.kind === 'digest';
  // A post in doubt stays in doubt through a refusal of its re-send (a 429, a pause, a refused
  // connection): the earlier send may still be on the network, so the next attempt must reconcile again
  // and re-send the stored text, never a fresh render.
  const waiting = opts.sentBefore ? 'unknown' : 'queued';
  await d.channels.recordError(pub, net, err.errorClass, err.message, now);

  switch (err.errorClass) {
    case 'duplicate': {
      if (isSend && opts.sentBefore) {
        // Our earlier send is there: record it, with its id when the account can be read.
        const look = await opts.lookup().catch((): Lookup => ({ kind: 'absent' }));
        return alreadyPosted(d, task, look, opts, log, 'duplicate of our earlier send');
      }
      if (isSend) {
        // No send was recorded, yet the network holds this very text: the `sending` mark may have been
        // lost (a Redis restart without fsync). Look before calling it a failure.
        let look: Lookup;
        try {
          look = await opts.lookup();
        } catch (e) {
          throw new RetryLater(`duplicate answer, and the account cannot be read yet to check it: ${(e as Error).message}`);
        }
        if (look.kind === 'found') return alreadyPosted(d, task, look, opts, log, 'duplicate of a post found on the network');
        if ((look.kind === 'unreadable' || look.kind === 'not-read') && entry.definition.resendDetectsDuplicates) return alreadyPosted(d, task, look, opts, log, 'duplicate; the account is not read');
      }
      await d.ledger.recordError(pub, net, key, 'failed', 'duplicate', err.message, now);
      await d.counters.post(pub, net, 'failed');
      throw new GiveUp(`duplicate content refused by ${net}: ${err.message}`);
    }
    case 'rate-limited': {
      const until = err.hints?.waitUntil && err.hints.waitUntil > now ? err.hints.waitUntil : now + DEFAULT_RATE_WAIT_MS;
      await d.gate.learnWait(err.hints?.scope === 'app' ? entry.channel.appKey : entry.channel.accountKey, until, now);
      await d.counters.limitRefusal(pub, net);
      if (isSend) await d.ledger.recordError(pub, net, key, waiting, 'rate-limited', err.message, now);
      log.warn({ until: new Date(until).toISOString(), scope: err.hints?.scope ?? 'account' }, 'rate limited by the network; waiting');
      return { kind: 'delay', until: until + Math.floor(Math.random() * 500), reason: 'rate limited by the network' };
    }
    case 'auth':
    case 'usage-capped': {
      const kind = err.errorClass === 'auth' ? err.pause?.kind ?? 'auth' : 'usage-cap';
      // The operator's reason in Italian, then the network's own words.
      const reason = err.pause ? `${err.pause.reason} (${err.message})` : err.message;
      const first = await d.channels.pause(pub, net, kind, reason, now);
      if (first) log.error({ alert: true, pause: kind, reason }, `${net} channel of ${pub} paused: ${PAUSE_LOG[kind]}`);
      if (isSend) await d.ledger.recordError(pub, net, key, opts.sentBefore ? 'unknown' : 'held', err.errorClass, err.message, now);
      await d.channels.hold(pub, net, ctx.jobId);
      return { kind: 'hold', reason: kind };
    }
    case 'transient': {
      const last = ctx.attempt >= ctx.maxAttempts;
      if (isSend) {
        // The network may have committed it: the next attempt reconciles first.
        const state = err.unknownOutcome || opts.sentBefore ? 'unknown' : last ? 'failed' : 'queued';
        await d.ledger.recordError(pub, net, key, state, 'transient', err.message, now);
      }
      if (last) await d.counters.post(pub, net, 'failed');
      log.warn({ errorClass: 'transient', unknownOutcome: err.unknownOutcome, last }, `transient failure: ${err.message}`);
      throw new RetryLater(err.message);
    }
    default: {
      if (isSend) await d.ledger.recordError(pub, net, key, 'failed', err.errorClass, err.message, now);
      await d.counters.post(pub, net, 'failed');
      log.error({ errorClass: err.errorClass }, `refused by ${net}: ${err.message}`);
      throw new GiveUp(err.message);
    }
  }
}

const PAUSE_LOG: Record<string, string> = {
  auth: 'the token was refused; fix it and resume',
  blocked: 'the network blocked the account for a while; resume when the block is over',
  suspended: 'the account is suspended; resume when it is reinstated',
  permission: 'the token or app lacks the permission to post; fix it and resume',
  'usage-cap': 'usage cap reached',
};

/**
 * The network holds the post: record it as posted, with its id when it was seen; else with an empty id,
 * and where the account cannot be read a note that says so (a later sweep finds the id).
 */
async function alreadyPosted(d: DeliveryDeps, task: DeliveryTask, look: Lookup, opts: ErrorOptions, log: Logger, note: string): Promise<DeliveryResult> {
  const { publisher: pub, network: net, offerKey: key } = task;
  const found = look.kind === 'found' ? look.outcome : undefined;
  await opts.onPosted(found ?? { remoteId: '', permalink: '' });
  if (look.kind === 'unreadable' || look.kind === 'not-read') {
    await d.ledger.update(pub, net, key, { reason: look.kind === 'unreadable' ? REMOTE_ID_UNKNOWN : REMOTE_ID_NOT_READ, updatedAt: d.now() });
  }
  await d.counters.post(pub, net, 'duplicate');
  log.warn({ remoteId: found?.remoteId ?? '' }, `network says this was already posted; recorded as posted (${note})`);
  return { kind: 'done', note };
}

/** Anything an adapter did not classify counts as transient with an unknown outcome: reconcile, never guess. */
export function toChannelError(e: unknown): ChannelError {
  if (e instanceof ChannelError) return e;
  if (e instanceof RetryLater || e instanceof GiveUp) throw e;
  return new ChannelError('transient', (e as Error)?.message ?? String(e), { unknownOutcome: true });
}
