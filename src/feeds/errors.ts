// SPDX-License-Identifier: EUPL-1.2
/**
 * The one error the feed path throws. `reason` is short and meant for an operator ("HTTP 503",
 * "HTML page, not a feed"); `retryAfterMs` carries a server's Retry-After so the poller can wait.
 */
export class FeedError extends Error {
  readonly reason: string;
  readonly retryAfterMs?: number;

  constructor(reason: string, opts: { retryAfterMs?: number; cause?: unknown } = {}) {
    super(reason, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'FeedError';
    this.reason = reason;
    if (opts.retryAfterMs !== undefined) this.retryAfterMs = opts.retryAfterMs;
  }
}
