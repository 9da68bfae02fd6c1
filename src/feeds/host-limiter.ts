/**
 * At most N requests at once per host, so one slow office server neither gets hammered nor holds up
 * the feeds of other hosts (each host has its own queue).
 *
 * The queue of a host is short too: at most N polls wait behind its N running ones, and a poll that
 * finds it full fails at once as "host busy" (its feed is polled again at its next turn). Every poll
 * waiting here holds one of the poll worker's few slots; with an unbounded queue a host that answers
 * slower than its feeds come due soon holds all of them, and every other host's feeds stop being polled
 * (measured by `npm run bench`, slow host section: quick feeds got 9 of 120 polls in a minute).
 */
import { FeedError } from './errors.ts';

export class HostLimiter {
  private readonly active = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  async run<T>(host: string, limit: number, task: () => Promise<T>): Promise<T> {
    await this.acquire(host, Math.max(1, limit));
    try {
      return await task();
    } finally {
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

  private acquire(host: string, limit: number): Promise<void> {
    const n = this.active.get(host) ?? 0;
    if (n < limit) {
      this.active.set(host, n + 1);
      return Promise.resolve();
    }
    const q = this.waiting.get(host) ?? [];
    if (q.length >= limit) {
      return Promise.reject(new FeedError(`host busy: ${n} requests to ${host} running and ${q.length} waiting; skipped until the next poll (the server answers slower than its feeds come due)`));
    }
    return new Promise((resolve) => {
      q.push(resolve);
      this.waiting.set(host, q);
    });
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
