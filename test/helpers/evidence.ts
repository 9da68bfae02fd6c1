// SPDX-License-Identifier: EUPL-1.2
/**
 * Positive evidence for negative checks. "Nothing more was posted" means something only once the path
 * that could have posted has run: the queues hold no work any more, or the poll counter moved past the
 * poll that would have posted. These helpers wait for that evidence and fail, saying what is left, at
 * their deadline; they never sleep for a fixed time and hope.
 */
import type { Queue } from 'bullmq';
import type { Runtime } from '../../src/app/runtime.ts';
import { waitFor } from './stack.ts';

/** Every BullMQ state in which a job still holds work: it runs now, or it will run. */
export const WORK_STATES = ['waiting', 'prioritized', 'delayed', 'active', 'waiting-children'] as const;

type QueuesOf = Pick<Runtime, 'queues'>;

/** Which delivery queues to look at (by network name); all of them by default. */
export interface QueueChoice { queues?: string[] }

const deliveryQueues = (rt: QueuesOf, only?: string[]): Queue[] =>
  (rt.queues.deliveries() as Queue[]).filter((q) => !only || only.includes(q.name));

/** What the delivery queues still hold, one phrase per non-empty state ("twitter: 1 delayed"); empty when drained. */
export async function workLeft(rt: QueuesOf, opts: QueueChoice = {}): Promise<string[]> {
  const out: string[] = [];
  for (const q of deliveryQueues(rt, opts.queues)) {
    const counts = await q.getJobCounts(...WORK_STATES);
    for (const state of WORK_STATES) if (counts[state]) out.push(`${q.name}: ${counts[state]} ${state}`);
  }
  return out;
}

/** The ids (and, for delayed jobs, when they are due) of a few jobs still holding work, for a failure message. */
async function describeLeft(rt: QueuesOf, opts: QueueChoice): Promise<string> {
  const parts: string[] = [];
  for (const q of deliveryQueues(rt, opts.queues)) {
    for (const job of await q.getJobs([...WORK_STATES], 0, 4)) {
      if (!job) continue;
      const due = job.delay ? `, due in ${Math.round((job.timestamp + job.delay - Date.now()) / 1000)} s` : '';
      parts.push(`${q.name}/${job.id} (${await job.getState()}${due}, ${job.attemptsMade} attempt(s))`);
    }
  }
  return parts.join('; ');
}

/**
 * Waits until no delivery queue holds work in any state (read twice in a row, so a job that was moving
 * between states while the queues were read one by one is not missed), and fails at the deadline with
 * what is left. After it, no post, edit or delete can still happen without something new being queued.
 * `queues` narrows the look to some networks (when another one holds jobs on purpose, e.g. paused).
 */
export async function drained(rt: QueuesOf, opts: QueueChoice & { timeoutMs?: number } = {}): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const deadline = Date.now() + timeoutMs;
  let emptyReads = 0;
  let left: string[] = [];
  for (;;) {
    left = await workLeft(rt, opts);
    emptyReads = left.length ? 0 : emptyReads + 1;
    if (emptyReads >= 2) return;
    if (Date.now() > deadline) {
      throw new Error(`the delivery queues still hold work after ${timeoutMs} ms: ${left.join(', ')} [${await describeLeft(rt, opts)}]`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How many polls of this publisher's feeds have ended (any result), from the deployment-wide counters. */
export async function pollCount(rt: Pick<Runtime, 'counters'>, publisher: string): Promise<number> {
  return (await rt.counters.read()).polls.filter((p) => p.publisher === publisher).reduce((sum, p) => sum + p.value, 0);
}

/** Waits until `more` polls of the publisher have ended after `since` (a pollCount read earlier). */
export async function pollsAfter(rt: Pick<Runtime, 'counters'>, publisher: string, since: number, more: number, timeoutMs = 20_000): Promise<number> {
  return waitFor(`${more} more poll(s) of ${publisher} after poll ${since}`, async () => {
    const n = await pollCount(rt, publisher);
    return n >= since + more ? n : 0;
  }, timeoutMs, 50);
}

/** The ledger entry of the stored offer with this link on one network (undefined while there is none). */
export async function entryFor(rt: Pick<Runtime, 'offers' | 'ledger'>, publisher: string, network: Parameters<Runtime['ledger']['get']>[1], link: string) {
  for (const key of await rt.offers.list(publisher, 0, 1000)) {
    if ((await rt.offers.get(publisher, key))?.offer.url === link) return (await rt.ledger.get(publisher, network, key)) ?? undefined;
  }
  return undefined;
}
