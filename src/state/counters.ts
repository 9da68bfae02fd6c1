// SPDX-License-Identifier: EUPL-1.2
/**
 * Deployment-wide counters in one Redis hash, so that /metrics shows the totals of every process, not
 * only of the one that serves the dashboard. Field names: `kind|label1|label2|...`.
 */
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { NetworkName } from '../domain/offer.ts';
import type { Counters } from './operator.ts';

export type PostOutcomeLabel = Counters['posts'][number]['outcome'];
export type PollResultLabel = Counters['polls'][number]['result'];

/** The counters-hash field of one post outcome (also written by the attempt scripts). */
export function postCounterField(pub: string, net: NetworkName, outcome: PostOutcomeLabel): string {
  return `post|${pub}|${net}|${outcome}`;
}

/** The counters-hash field of the refusals by an account's own windows (read by tests and operators with redis-cli). */
export function windowWaitField(pub: string, net: NetworkName): string {
  return `windowwait|${pub}|${net}`;
}

export class CounterStore {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys) {}

  async post(pub: string, net: NetworkName, outcome: PostOutcomeLabel): Promise<void> {
    await this.redis.hincrby(this.keys.counters(), postCounterField(pub, net, outcome), 1);
  }
  async poll(pub: string, result: PollResultLabel): Promise<void> {
    await this.redis.hincrby(this.keys.counters(), `poll|${pub}|${result}`, 1);
  }
  async limitRefusal(pub: string, net: NetworkName): Promise<void> {
    await this.redis.hincrby(this.keys.counters(), `refusal|${pub}|${net}`, 1);
  }

  /**
   * A job refused a slot by the account's own limit windows (it waits for its turn): how often jobs wake
   * to no slot. Staggered wakes keep it near one per job that had to wait (src/redis/lua/includes/windows.lua).
   */
  async windowWait(pub: string, net: NetworkName): Promise<void> {
    await this.redis.hincrby(this.keys.counters(), windowWaitField(pub, net), 1);
  }

  async read(): Promise<Omit<Counters, 'queues'>> {
    const h = await this.redis.hgetall(this.keys.counters());
    const out: Omit<Counters, 'queues'> = { posts: [], polls: [], limitRefusals: [] };
    for (const [field, v] of Object.entries(h)) {
      const [kind, a, b, c] = field.split('|');
      const value = Number(v);
      if (kind === 'post') out.posts.push({ publisher: a!, network: b as NetworkName, outcome: c as PostOutcomeLabel, value });
      else if (kind === 'poll') out.polls.push({ publisher: a!, result: b as PollResultLabel, value });
      else if (kind === 'refusal') out.limitRefusals.push({ publisher: a!, network: b as NetworkName, value });
    }
    return out;
  }
}
