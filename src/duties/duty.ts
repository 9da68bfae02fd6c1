// SPDX-License-Identifier: EUPL-1.2
/**
 * Background duties: small, named jobs that keep the deployment healthy (like Oban's plugins). Each
 * one has a name, an interval and a `run` that does one pass and says what it did. The runner
 * (runner.ts) starts every registered duty (registry.ts) in every `worker` process (and `run`), and a
 * Redis lock with a TTL lets one process at a time run it, about once per interval across the whole
 * deployment: add workers and a duty still runs once, kill one and another takes over.
 *
 * A duty's pass must be safe to repeat and to stop half-way (a process may die in the middle; the
 * next pass, elsewhere, starts again), and bounded (do at most a batch, the next pass does the rest).
 */
import type { Logger } from '../log/logger.ts';

export interface DutyContext {
  now: () => number;
  /** Scoped to the duty ({ duty: name }). */
  logger: Logger;
  /** Aborted when the process stops: finish the current step and return. */
  signal: AbortSignal;
}

/** What one pass did, logged as the line's fields (numbers and short strings). */
export type DutyReport = Record<string, number | string | boolean>;

export interface Duty {
  /** `[a-z][a-z0-9-]*`: names the lock, the log lines and the README entry. */
  name: string;
  /** How often it runs across the deployment (one pass per interval, by whichever worker takes the lock). */
  intervalMs: number;
  run(ctx: DutyContext): Promise<DutyReport>;
}
