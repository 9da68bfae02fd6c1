// SPDX-License-Identifier: EUPL-1.2
/**
 * At most N requests at once per host, so one slow office server neither gets hammered nor holds up
 * the feeds of other hosts (each host has its own queue).
 *
 * The queue of a host is short too: at most N polls wait behind its N running ones. Every poll waiting
 * here holds one of the poll worker's few slots; with an unbounded queue a host that answers slower
 * than its feeds come due soon holds all of them, and every other host's feeds stop being polled
 * (measured by `npm run bench`, slow host section: quick feeds got 9 of 120 polls in a minute).
 *
 * A poll that finds the queue full is told when to come back (HostBusyError.retryInMs): the host's
 * turns are handed out one after another, spaced by how long its requests take divided by N, so a
 * region's portal serving 250 feeds at 50 ms a request sees them again within seconds, each at its own
 * moment, instead of all of them bouncing together (a fast host never costs its feeds an interval). A
 * host whose last request outlasted the timeout, or whose next turn is further away than the caller
 * can wait, is really slow: the poll fails as "host busy" and waits for its next interval.
 */
import { FeedError } from './errors.ts';

/** The host's queue is full, but it is fast: come back in `retryInMs`. Not a failure of the feed. */
export class HostBusyError extends FeedError {
  constructor(readonly host: string, readonly retryInMs: number) {
    super(`host busy: ${host}; another turn in ${Math.ceil(retryInMs / 1000)} s`);
    this.name = 'HostBusyError';
  }
}

export interface RunOptions {
  /** The request's own timeout: a request that lasts this long marks the host slow. */
  timeoutMs?: number;
  /** Wait at most this long for a turn (`HostBusyError`); beyond it, or without it, a full queue fails the poll. */
  retryWithinMs?: number;
}

/** Until a host has answered, its requests are taken to last this long. */
const DEFAULT_REQUEST_MS = 200;
/** A turn is never sooner than this (a bounce costs a job and a few Redis calls). */
const MIN_RETRY_MS = 250;
/** How much of each new request's duration goes into the host's running average. */
const EWMA_WEIGHT = 0.3;

interface HostStats { avgMs: number; slow: boolean; nextTurnAt: number }

export class HostLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();
  private readonly stats = new Map<string, HostStats>();

  constructor(private readonly clock: () => number = Date.now) {}

  async run<T>(host: string, limit: number, task: () => Promise<T>, opts: RunOptions = {}): Promise<T> {
    await this.acquire(host, Math.max(1, limit), opts);
    const started = this.clock();
    let failed = false;
    try {
      return await task();
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      this.learn(host, this.clock() - started, failed, opts.timeoutMs);
      this.release(host);
    }
  }

  /** Requests running now for a host (for tests and metrics). */
  activeFor(host: string): number {
    return this.active.get(host) ?? 0;
  }

  /** Requests waiting for a slot of a host. */
  waitingFor(host: string): number {
    return this.waiting.get(host)?.length ?? 0;
  }

  /** Whether the host's last request outlasted its timeout. */
  isSlow(host: string): boolean {
    return this.stats.get(host)?.slow ?? false;
  }

  private statsOf(host: string): HostStats {
    let s = this.stats.get(host);
    if (!s) { s = { avgMs: DEFAULT_REQUEST_MS, slow: false, nextTurnAt: 0 }; this.stats.set(host, s); }
    return s;
  }

  private learn(host: string, ms: number, failed: boolean, timeoutMs: number | undefined): void {
    const s = this.statsOf(host);
    s.avgMs = s.avgMs * (1 - EWMA_WEIGHT) + ms * EWMA_WEIGHT;
    // Only a request that ran into its timeout makes a host slow; one that answered makes it fast again.
    s.slow = timeoutMs !== undefined && failed && ms >= timeoutMs * 0.95;
  }

  private acquire(host: string, limit: number, opts: RunOptions): Promise<void> {
    const n = this.active.get(host) ?? 0;
    if (n < limit) {
      this.active.set(host, n + 1);
      return Promise.resolve();
    }
    const q = this.waiting.get(host) ?? [];
    if (q.length >= limit) return Promise.reject(this.busy(host, limit, n, q.length, opts));
    return new Promise((resolve) => {
      q.push(resolve);
      this.waiting.set(host, q);
    });
  }

  /** The answer to a poll that found the host's queue full: a turn soon, or (really slow) none. */
  private busy(host: string, limit: number, running: number, waiting: number, opts: RunOptions): FeedError {
    const s = this.statsOf(host);
    const now = this.clock();
    const spacing = s.avgMs / limit;
    // After the ones running and waiting now, and after every turn already handed out.
    const turn = Math.max(s.nextTurnAt, now + (waiting + 1) * spacing) + spacing;
    const retryInMs = Math.max(MIN_RETRY_MS, Math.round(turn - now + Math.random() * spacing));
    if (!s.slow && opts.retryWithinMs !== undefined && retryInMs < opts.retryWithinMs) {
      s.nextTurnAt = turn;
      return new HostBusyError(host, retryInMs);
    }
    const why = s.slow ? 'its last request outlasted the timeout' : 'the server answers slower than its feeds come due';
    return new FeedError(`host busy: ${running} requests to ${host} running and ${waiting} waiting; skipped until the next poll (${why})`);
  }

  private release(host: string): void {
    const q = this.waiting.get(host);
    const next = q?.shift();
    if (q && q.length === 0) this.waiting.delete(host);
    if (next) { next(); return; } // the slot passes to the next waiter; the count stays the same
    const n = (this.active.get(host) ?? 1) - 1;
    if (n <= 0) this.active.delete(host);
    else this.active.set(host, n);
  }
}

/** The process-wide limiter used by fetchFeed unless a test passes its own. */
export const defaultHostLimiter = new HostLimiter();
