/**
 * Failed logins per client IP, in a sliding window (default 5 per minute). Once over, every login from
 * that IP — even a correct one — is refused with 429 until old failures leave the window, so guessing
 * cannot continue by luck.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();
  constructor(private readonly max = 5, private readonly windowMs = 60_000) {}

  private recent(ip: string, now: number): number[] {
    const list = (this.failures.get(ip) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length) this.failures.set(ip, list); else this.failures.delete(ip);
    return list;
  }

  blocked(ip: string, now = Date.now()): boolean {
    return this.recent(ip, now).length >= this.max;
  }

  fail(ip: string, now = Date.now()): void {
    const list = this.recent(ip, now);
    list.push(now);
    this.failures.set(ip, list);
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value!);
  }

  /** Seconds until one more attempt is allowed. */
  retryAfter(ip: string, now = Date.now()): number {
    const list = this.recent(ip, now);
    if (!list.length) return 0;
    return Math.max(1, Math.ceil((list[0]! + this.windowMs - now) / 1000));
  }
}
