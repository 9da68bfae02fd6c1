// SPDX-License-Identifier: EUPL-1.2
/**
 * Reading and acting on queued jobs for operators (status, failures, retry, release after resume),
 * without letting BullMQ's types leave the seam.
 */
import { Job, type JobType } from 'bullmq';
import type { NetworkName } from '../domain/offer.ts';
import { isNetwork } from '../channels/registry.ts';
import type { DeliveryTask } from '../delivery/task.ts';
import type { QueueSet } from './queues.ts';
import type { PostJob } from '../state/operator.ts';

export interface JobCounts { waiting: number; delayed: number; active: number; failed: number; completed: number }
export interface FailedJob { jobId: string; task: DeliveryTask; reason: string; failedAt: number }

function publisherOfJobId(jobId: string): string | undefined {
  return jobId.split('.')[1];
}

function networkOf(jobId: string): NetworkName | undefined {
  const net = jobId.split('.')[2];
  return net !== undefined && isNetwork(net) ? net : undefined;
}

/** Held jobs released at once on resume. */
const RELEASE_LANES = 32;

export class QueueInspector {
  constructor(private readonly q: QueueSet) {}

  /** The network a job id names, when this deployment has its queue (an operator may type any id). */
  private netOf(jobId: string): NetworkName | undefined {
    const net = networkOf(jobId);
    return net && this.q.has(net) ? net : undefined;
  }

  async counts(network: NetworkName): Promise<JobCounts> {
    const c = await this.q.queueOf(network).getJobCounts('waiting', 'delayed', 'active', 'failed', 'completed', 'prioritized');
    return { waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), delayed: c.delayed ?? 0, active: c.active ?? 0, failed: c.failed ?? 0, completed: c.completed ?? 0 };
  }

  /**
   * Counts per publisher on a queue that several publishers share. Job ids name their publisher
   * (jobIdFor: kind.publisher.network.key…, and publisher ids have no dots), so reading ids is enough:
   * no job is loaded. Prioritized jobs (every post: see QueueSet.addDeliveries) count as waiting.
   */
  async countsByPublisher(network: NetworkName, cap = 100_000): Promise<Map<string, { waiting: number; delayed: number; active: number; failed: number }>> {
    const out = new Map<string, { waiting: number; delayed: number; active: number; failed: number }>();
    const queue = this.q.queueOf(network);
    const states = { waiting: ['waiting', 'prioritized'], delayed: ['delayed'], active: ['active'], failed: ['failed'] } as const;
    for (const [state, types] of Object.entries(states) as Array<[keyof typeof states, readonly JobType[]]>) {
      for (const id of await queue.getRanges([...types], 0, cap - 1)) {
        const pub = publisherOfJobId(id);
        if (!pub) continue;
        const row = out.get(pub) ?? { waiting: 0, delayed: 0, active: 0, failed: 0 };
        row[state]++;
        out.set(pub, row);
      }
    }
    return out;
  }

  async failed(network: NetworkName, limit = 500): Promise<FailedJob[]> {
    const jobs = await this.q.queueOf(network).getFailed(0, limit - 1);
    return jobs.filter((j): j is Job<DeliveryTask> => Boolean(j)).map((j) => ({ jobId: j.id!, task: j.data, reason: j.failedReason ?? '', failedAt: j.finishedOn ?? j.timestamp }));
  }

  /** Retries a failed job (fresh attempts), or promotes a delayed one. Returns false when there is no such job. */
  async retry(jobId: string): Promise<boolean> {
    const net = this.netOf(jobId);
    if (!net) return false;
    const job = await this.q.queueOf(net).getJob(jobId);
    if (!job) return false;
    const state = await job.getState();
    if (state === 'failed') { await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }); return true; }
    if (state === 'delayed') { await job.promote(); return true; }
    return state === 'waiting' || state === 'active';
  }

  /** One delivery job as operators see it, or null when the queue no longer has it. */
  async job(jobId: string): Promise<PostJob | null> {
    const net = this.netOf(jobId);
    const queue = net ? this.q.queueOf(net) : undefined;
    const job = queue ? await queue.getJob(jobId) : undefined;
    if (!queue || !job) return null;
    const state = (await job.getState()) as PostJob['state'];
    let runAt: number | undefined;
    if (state === 'delayed') {
      // BullMQ keeps a delayed job's time only as its score in the delayed set (time × 0x1000 + a counter).
      const score = await this.q.connection.zscore(queue.toKey('delayed'), jobId);
      if (score !== null) runAt = Math.floor(Number(score) / 0x1000);
    }
    return { id: jobId, state, attemptsMade: job.attemptsMade, ...(runAt ? { runAt } : {}), ...(job.failedReason ? { failedReason: job.failedReason } : {}) };
  }

  /**
   * Releases jobs held while a channel was paused; returns the ids released. Several at once: a weekend's
   * pause can hold thousands of posts, and one round trip after another would pace the whole drain by
   * the release instead of by the network (the connection pipelines the lanes' commands).
   */
  async release(jobIds: string[]): Promise<string[]> {
    const done: string[] = [];
    let next = 0;
    const lane = async () => {
      while (next < jobIds.length) {
        const id = jobIds[next++]!;
        const net = this.netOf(id);
        // A held job is delayed (nearly always): promote it by id, one round trip, without loading it.
        // BullMQ's promote refuses a job that is not delayed; only then is the job read to see why.
        if (net && (await new Job(this.q.queueOf(net), 'release', {}, {}, id).promote().then(() => true, () => false))) {
          done.push(id);
          continue;
        }
        const job = net ? await this.q.queueOf(net).getJob(id) : undefined;
        if (job) {
          const state = await job.getState();
          if (state === 'delayed') await job.promote().catch(() => undefined);
          else if (state === 'failed') await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true }).catch(() => undefined);
        }
        done.push(id);
      }
    };
    await Promise.all(Array.from({ length: Math.min(RELEASE_LANES, jobIds.length) }, lane));
    return done;
  }

  async remove(jobId: string): Promise<void> {
    const net = this.netOf(jobId);
    const job = net ? await this.q.queueOf(net).getJob(jobId) : undefined;
    if (job) await job.remove().catch(() => undefined);
  }
}
