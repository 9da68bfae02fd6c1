// SPDX-License-Identifier: EUPL-1.2
/**
 * A deadline on one network call. Both SDKs can hang on a server that never answers (X has no default
 * timeout; the Facebook SDK's axios has none), and a post whose answer never comes has an unknown
 * outcome: the caller must reconcile, so this error is always classified transient + unknownOutcome.
 * (Shared by the Facebook adapter too; it would sit better in src/channels/, which this part does not own.)
 */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number, what: string) {
    super(`${what}: no answer within ${timeoutMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

export function withDeadline<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(timeoutMs, what)), timeoutMs);
  });
  // The losing promise must not surface later as an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
