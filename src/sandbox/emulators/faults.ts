// SPDX-License-Identifier: EUPL-1.2
/**
 * Fault injection shared by both emulators: what the next write requests suffer. Each fault is consumed
 * by one request, in the order they were armed, so a test can script "503, then commit-and-drop, then OK".
 *
 * A lost answer comes in three kinds, and they differ in what the network holds afterwards:
 *   hang-before-commit — the request never reaches the network's store and is never answered: nothing
 *                        was posted, and only sending it again posts it;
 *   commit-then-drop   — the post is stored, then the socket is destroyed without an answer;
 *   commit-then-hang   — the post is stored, and the answer never comes (the client times out).
 * The controls name them so (`hangBeforeCommitNext`, `commitThenDropNext`, `commitThenHangNext`);
 * the older `hangNext` is hang-before-commit and `dropNext` is commit-then-drop.
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
  /** Commit-then-drop: store the post, then destroy the socket without answering. */
  | { kind: 'drop' }
  /** Hang-before-commit: never store the post and never answer (until the emulator closes). */
  | { kind: 'hang' }
  /** Commit-then-hang: store the post and never answer (until the client gives up or the emulator closes). */
  | { kind: 'commit-hang' }
  /**
   * Commit-late: the request waits `delayMs` inside the network before it is counted and stored, then
   * answered (too late for a client that timed out). The network counts it when it commits, not when it
   * arrived: what a client's limits must allow for.
   */
  | { kind: 'commit-late'; delayMs: number };

/** Shares (0..1) of the writes that suffer each lost answer at random, once the queued faults are used up. */
export interface FaultRates {
  commitThenDrop?: number;
  hangBeforeCommit?: number;
  commitThenHang?: number;
}

/** A small seeded generator (mulberry32), so a chaos run's fault rolls can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (p: number | undefined) => Math.max(0, Math.min(1, Number(p) || 0));

export class FaultPlan {
  private queue: Fault[] = [];
  private rates: Required<FaultRates> = { commitThenDrop: 0, hangBeforeCommit: 0, commitThenHang: 0 };
  private random: () => number = Math.random;

  private push(count: number, f: Fault): void {
    for (let i = 0; i < count; i++) this.queue.push(f);
  }
  failNext(count: number, spec: FailSpec): void {
    this.push(count, { kind: 'fail', spec });
  }
  /** Commit-then-drop the next N writes. */
  dropNext(count = 1): void {
    this.push(count, { kind: 'drop' });
  }
  /** Hang-before-commit the next N writes. */
  hangNext(count = 1): void {
    this.push(count, { kind: 'hang' });
  }
  /** Commit-then-hang the next N writes. */
  commitThenHangNext(count = 1): void {
    this.push(count, { kind: 'commit-hang' });
  }
  /** Commit-late the next N writes: counted, stored and answered `delayMs` after they arrive. */
  commitLateNext(count: number, delayMs: number): void {
    this.push(count, { kind: 'commit-late', delayMs });
  }
  /** Commit-then-drop a random share (0..1) of the writes, after the queued faults are used up. */
  setDropProbability(p: number): void {
    this.rates.commitThenDrop = clamp(p);
  }
  /** All three random lost-answer shares at once (missing ones are 0); their sum is capped at 1. */
  setRates(r: FaultRates): void {
    this.rates = { commitThenDrop: clamp(r.commitThenDrop), hangBeforeCommit: clamp(r.hangBeforeCommit), commitThenHang: clamp(r.commitThenHang) };
  }
  getRates(): Required<FaultRates> {
    return { ...this.rates };
  }
  /** Seeds the random rolls (a replayable chaos run); without a seed they use Math.random. */
  setSeed(seed: number | null): void {
    this.random = seed === null || seed === undefined ? Math.random : seededRandom(seed);
  }
  /** The fault for this request, if any (consumes it). */
  take(): Fault | undefined {
    const f = this.queue.shift();
    if (f) return f;
    const { commitThenDrop, hangBeforeCommit, commitThenHang } = this.rates;
    if (commitThenDrop + hangBeforeCommit + commitThenHang === 0) return undefined;
    const roll = this.random();
    if (roll < commitThenDrop) return { kind: 'drop' };
    if (roll < commitThenDrop + hangBeforeCommit) return { kind: 'hang' };
    if (roll < commitThenDrop + hangBeforeCommit + commitThenHang) return { kind: 'commit-hang' };
    return undefined;
  }
  clear(): void {
    this.queue = [];
    this.rates = { commitThenDrop: 0, hangBeforeCommit: 0, commitThenHang: 0 };
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
