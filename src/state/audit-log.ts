/** Operator actions, newest first, kept in Redis (bounded) so every dashboard process shows the same log. */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { AuditEntry } from './operator.ts';

const KEEP = 5000;

export class AuditLog {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  async record(e: AuditEntry): Promise<void> {
    await this.redis.multi().lpush(this.keys.audit(), JSON.stringify(e)).ltrim(this.keys.audit(), 0, KEEP - 1).exec();
  }

  async latest(limit: number): Promise<AuditEntry[]> {
    const rows = await this.redis.lrange(this.keys.audit(), 0, Math.max(0, limit - 1));
    return rows.map((r) => JSON.parse(r) as AuditEntry);
  }
}
