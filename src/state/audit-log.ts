// SPDX-License-Identifier: EUPL-1.2
/**
 * Operator actions, newest first, kept in Redis (bounded) so every dashboard process shows the same log.
 * An entry that touched a publisher is also kept in that publisher's own list, so that the people of one
 * office read their office's history whole, however busy the others are. Failed sign-ins go to a stream
 * of their own: guessing passwords can never push real actions out of the bounded lists.
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { AuditEntry, SignInFailure } from './operator.ts';

const KEEP = 5000;
const KEEP_PER_PUBLISHER = 2000;
const KEEP_SIGN_IN_FAILURES = 5000;

export class AuditLog {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  async record(e: AuditEntry): Promise<void> {
    const json = JSON.stringify(e);
    const multi = this.redis.multi().lpush(this.keys.audit(), json).ltrim(this.keys.audit(), 0, KEEP - 1);
    if (e.publisher) multi.lpush(this.keys.auditOf(e.publisher), json).ltrim(this.keys.auditOf(e.publisher), 0, KEEP_PER_PUBLISHER - 1);
    await multi.exec();
  }

  /** Every entry, or (with `publishers`) only those that touched one of them. */
  async latest(limit: number, publishers?: readonly string[]): Promise<AuditEntry[]> {
    const n = Math.max(0, limit - 1);
    if (!publishers) return (await this.redis.lrange(this.keys.audit(), 0, n)).map((r) => JSON.parse(r) as AuditEntry);
    const lists = await Promise.all(publishers.map((p) => this.redis.lrange(this.keys.auditOf(p), 0, n)));
    return lists.flat().map((r) => JSON.parse(r) as AuditEntry).sort((a, b) => b.at - a.at).slice(0, limit);
  }

  async recordSignInFailure(e: SignInFailure): Promise<void> {
    await this.redis.xadd(this.keys.signInFailures(), 'MAXLEN', '~', String(KEEP_SIGN_IN_FAILURES), '*', 'e', JSON.stringify(e));
  }

  async signInFailures(limit: number): Promise<SignInFailure[]> {
    const rows = await this.redis.xrevrange(this.keys.signInFailures(), '+', '-', 'COUNT', Math.max(1, limit));
    return rows.map(([, fields]) => JSON.parse(fields[1] ?? '{}') as SignInFailure);
  }
}
