/**
 * What each class of network answer means for the job, the ledger and the channel (promise 3):
 * transient → retry with backoff; rate-limited → wait as told, no attempt spent; auth and usage cap →
 * pause this publisher's channel only, alert once, keep the job; duplicate → "already posted" when we
 * had sent it before, else final; permanent → final, with the network's message.
 */
import type { Logger } from '../log/logger.ts';
import { ChannelError, type PostOutcome } from '../channels/channel.ts';
import { RetryLater, GiveUp, type DeliveryResult, type DeliveryTask } from './task.ts';
import type { DeliveryDeps, ChannelEntry } from './deps.ts';

/** When a refusal names no time, wait this long before the account's next attempt. */
const DEFAULT_RATE_WAIT_MS = 60_000;

export async function handleChannelError(
  d: DeliveryDeps,
  task: DeliveryTask,
  entry: ChannelEntry,
  ctx: { jobId: string; attempt: number; maxAttempts: number },
  err: ChannelError,
  log: Logger,
  opts: { sentBefore: boolean; link: string; reconcile: () => Promise<PostOutcome | null>; onPosted: (o: PostOutcome) => Promise<void> },
): Promise<DeliveryResult> {
  const { publisher: pub, network: net, offerKey: key } = task;
  const now = d.now();
  const isSend = task.kind === 'post' || task.kind === 'digest';
  await d.channels.recordError(pub, net, err.errorClass, err.message, now);

  switch (err.errorClass) {
    case 'duplicate': {
      if (isSend && opts.sentBefore) {
        const found = await opts.reconcile().catch(() => null);
        await opts.onPosted(found ?? { remoteId: '', permalink: '' });
        await d.counters.post(pub, net, 'duplicate');
        log.warn({ remoteId: found?.remoteId }, 'network says this was already posted; recorded as posted');
        return { kind: 'done', note: 'duplicate of our earlier send' };
      }
      await d.ledger.recordError(pub, net, key, 'failed', 'duplicate', err.message, now);
      await d.counters.post(pub, net, 'failed');
      throw new GiveUp(`duplicate content refused by ${net}: ${err.message}`);
    }
    case 'rate-limited': {
      const until = err.hints?.waitUntil && err.hints.waitUntil > now ? err.hints.waitUntil : now + DEFAULT_RATE_WAIT_MS;
      await d.gate.learnWait(err.hints?.scope === 'app' ? entry.channel.appKey : entry.channel.accountKey, until, now);
      await d.counters.limitRefusal(pub, net);
      if (isSend) await d.ledger.recordError(pub, net, key, 'queued', 'rate-limited', err.message, now);
      log.warn({ until: new Date(until).toISOString(), scope: err.hints?.scope ?? 'account' }, 'rate limited by the network; waiting');
      return { kind: 'delay', until: until + Math.floor(Math.random() * 500), reason: 'rate limited by the network' };
    }
    case 'auth':
    case 'usage-capped': {
      const kind = err.errorClass === 'auth' ? 'auth' : 'usage-cap';
      const first = await d.channels.pause(pub, net, kind, err.message, now);
      if (first) log.error({ alert: true, pause: kind, reason: err.message }, `${net} channel of ${pub} paused: ${kind === 'auth' ? 'the token was refused; fix it and resume' : 'usage cap reached'}`);
      if (isSend) await d.ledger.recordError(pub, net, key, 'held', err.errorClass, err.message, now);
      await d.channels.hold(pub, net, ctx.jobId);
      return { kind: 'hold', reason: kind };
    }
    case 'transient': {
      const last = ctx.attempt >= ctx.maxAttempts;
      if (isSend) {
        // The network may have committed it: the next attempt reconciles first.
        const state = err.unknownOutcome ? 'unknown' : last ? 'failed' : 'queued';
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

/** Anything an adapter did not classify counts as transient with an unknown outcome: reconcile, never guess. */
export function toChannelError(e: unknown): ChannelError {
  if (e instanceof ChannelError) return e;
  if (e instanceof RetryLater || e instanceof GiveUp) throw e;
  return new ChannelError('transient', (e as Error)?.message ?? String(e), { unknownOutcome: true });
}
