/**
 * Fault injection shared by both emulators: what the next write requests suffer. Each fault is consumed
 * by one request, in the order they were armed, so a test can script "503, then commit-and-drop, then OK".
 */
export interface FailSpec {
  status: number;
  /** JSON value or raw text (with contentType, e.g. an HTML 502 page). */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export type Fault =
  | { kind: 'fail'; spec: FailSpec }
  /** Store the post, then destroy the socket without answering: the client cannot know it was committed. */
  | { kind: 'drop' }
  /** Never answer (until the emulator closes). */
  | { kind: 'hang' };

export class FaultPlan {
  private queue: Fault[] = [];
  private dropProbability = 0;

  failNext(count: number, spec: FailSpec): void {
    for (let i = 0; i < count; i++) this.queue.push({ kind: 'fail', spec });
  }
  dropNext(count = 1): void {
    for (let i = 0; i < count; i++) this.queue.push({ kind: 'drop' });
  }
  hangNext(count = 1): void {
    for (let i = 0; i < count; i++) this.queue.push({ kind: 'hang' });
  }
  /** Commit-then-drop a random share (0..1) of the writes, after the queued faults are used up. */
  setDropProbability(p: number): void {
    this.dropProbability = Math.max(0, Math.min(1, p));
  }
  /** The fault for this request, if any (consumes it). */
  take(): Fault | undefined {
    const f = this.queue.shift();
    if (f) return f;
    if (this.dropProbability > 0 && Math.random() < this.dropProbability) return { kind: 'drop' };
    return undefined;
  }
  clear(): void {
    this.queue = [];
    this.dropProbability = 0;
  }
  pending(): number {
    return this.queue.length;
  }
}

/**
 * Fixed windows, as X and Facebook count: a window opens at the first call and resets windowMs later.
 * One counter per (key, window length).
 */
export interface LimitWindow { max: number; windowMs: number }

export class WindowCounter {
  private windows = new Map<string, { start: number; count: number }>();

  /** Current state of one window for a key, without counting. */
  peek(key: string, w: LimitWindow, now: number): { used: number; remaining: number; resetAt: number } {
    const id = `${key}|${w.windowMs}`;
    let cur = this.windows.get(id);
    if (!cur || now >= cur.start + w.windowMs) {
      cur = { start: now, count: 0 };
      this.windows.set(id, cur);
    }
    return { used: cur.count, remaining: Math.max(0, w.max - cur.count), resetAt: cur.start + w.windowMs };
  }

  hit(key: string, w: LimitWindow, now: number): void {
    this.peek(key, w, now);
    this.windows.get(`${key}|${w.windowMs}`)!.count++;
  }

  clear(): void {
    this.windows.clear();
  }
}
