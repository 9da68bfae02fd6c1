/**
 * At most N requests at once per host, so one slow office server neither gets hammered nor holds up
 * the feeds of other hosts (each host has its own queue).
 */
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

  private acquire(host: string, limit: number): Promise<void> {
    const n = this.active.get(host) ?? 0;
    if (n < limit) {
      this.active.set(host, n + 1);
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const q = this.waiting.get(host) ?? [];
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
