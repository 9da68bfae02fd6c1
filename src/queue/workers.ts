// SPDX-License-Identifier: EUPL-1.2
/**
 * Workers: BullMQ's side of the seam. They translate DeliveryResult / RetryLater / GiveUp into BullMQ
 * moves: a delay spends no attempt (moveToDelayed + DelayedError), a hold parks the job until resume,
 * RetryLater uses the channel's backoff with jitter, GiveUp fails the job at once.
 */
import { Worker, DelayedError, UnrecoverableError, type Job, type MinimalJob } from 'bullmq';
import type { RedisClient } from '../redis/connection.ts';
import type { Logger } from '../log/logger.ts';
import type { NetworkName } from '../domain/offer.ts';
import { GiveUp, type DeliveryResult, type DeliveryTask } from '../delivery/task.ts';
import { HOLD_MS, POLL_QUEUE, type PollTask } from './queues.ts';

export interface WorkerTuning {
  concurrency: number;
  /** How long a job may run before another worker may take it over (renewed while the job runs). */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export type DeliveryProcessor = (task: DeliveryTask, ctx: { jobId: string; attempt: number; maxAttempts: number }) => Promise<DeliveryResult>;
export type BackoffFor = (task: DeliveryTask, attemptsMade: number) => number;

export function startDeliveryWorker(network: NetworkName, opts: { connection: RedisClient; prefix: string; tuning: WorkerTuning; process: DeliveryProcessor; backoff: BackoffFor; logger: Logger; autorun?: boolean }): Worker<DeliveryTask> {
  const worker = new Worker<DeliveryTask>(network, async (job: Job<DeliveryTask>, token?: string) => {
    const ctx = { jobId: job.id!, attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 };
    let result: DeliveryResult;
    try {
      result = await opts.process(job.data, ctx);
    } catch (e) {
      // GiveUp is final; RetryLater and anything unexpected spend an attempt and back off.
      if (e instanceof GiveUp) throw new UnrecoverableError(e.message);
      throw e;
    }
    if (result.kind === 'done') return result.note ?? 'done';
    const until = result.kind === 'hold' ? Date.now() + HOLD_MS : result.until;
    await job.moveToDelayed(Math.max(until, Date.now() + 1), token);
    throw new DelayedError(result.reason);
  }, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.tuning.concurrency,
    // A dead worker's job is taken over after about lockDuration + stalledInterval. Taking over early is
    // safe: the account lock (renewed by a living holder) keeps a second attempt from sending while the
    // first is still in flight, and the ledger then says posted or asks for reconciliation.
    lockDuration: opts.tuning.lockDurationMs ?? 10_000,
    stalledInterval: opts.tuning.stalledIntervalMs ?? 4_000,
    // A stalled job (its worker died) is retried, never failed for stalling: the ledger reconciles it.
    maxStalledCount: 1_000_000,
    autorun: opts.autorun ?? true,
    settings: { backoffStrategy: (attemptsMade: number, _type?: string, _err?: Error, job?: MinimalJob) => (job ? opts.backoff(job.data as DeliveryTask, attemptsMade) : 5000) },
  });
  worker.on('error', (e) => opts.logger.error({ err: e, queue: network }, 'delivery worker error'));
  worker.on('failed', (job, e) => {
    if (job && !(e instanceof DelayedError) && e.name !== 'DelayedError') opts.logger.debug({ job: job.id, err: e }, 'delivery attempt failed');
  });
  return worker;
}

export function startPollWorker(opts: { connection: RedisClient; prefix: string; concurrency: number; process: (task: PollTask) => Promise<void>; logger: Logger }): Worker<PollTask> {
  const worker = new Worker<PollTask>(POLL_QUEUE, async (job) => { await opts.process(job.data); }, {
    connection: opts.connection,
    prefix: opts.prefix,
    concurrency: opts.concurrency,
    lockDuration: 60_000,
    maxStalledCount: 1_000_000,
  });
  worker.on('error', (e) => opts.logger.error({ err: e, queue: POLL_QUEUE }, 'poll worker error'));
  return worker;
}

/** Exponential backoff with full jitter, capped: attempt n waits up to initial × factor^(n-1). */
export function backoffDelay(b: { initial: number; factor: number; max: number }, attemptsMade: number): number {
  const ceiling = Math.min(b.max, b.initial * b.factor ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}
