// SPDX-License-Identifier: EUPL-1.2
/**
 * A publisher's newsletter outbox, in Redis under `ch:newsletter:`:
 * - `seq:{pub}` counter; `outbox:{pub}` sorted set of offer keys by the sequence they were recorded at;
 * - `item:{pub}` hash offer key → the offer's digest fields (JSON);
 * - `urls:{pub}` hash offer URL → offer key, of every offer ever recorded (reconciliation reads it).
 * Posting an offer to the newsletter records it here; the digest duty sends what each subscriber has not
 * had yet (their `cursor` is a sequence number). Only the fields a digest shows are kept: never the
 * offer's text, so no contact that text might have held can reach a message.
 */
import type { JobOffer } from '../../domain/offer.ts';
import type { ChannelServices } from '../definition.ts';

/** What a digest lists of an offer, and what preferences match on. */
export type DigestItem = Pick<JobOffer, 'key' | 'title' | 'url' | 'location' | 'province' | 'contract' | 'hours' | 'validThrough' | 'employer' | 'publisherId'> & { recordedAt: number };

type Services = Pick<ChannelServices, 'redis' | 'keys' | 'now'>;

export class Outbox {
  constructor(private readonly s: Services) {}

  private key(...parts: string[]) { return this.s.keys.channelData('newsletter', ...parts); }

  /** Records an offer once: a second post of the same offer keeps its first place. */
  async record(offer: JobOffer): Promise<void> {
    const pub = offer.publisherId;
    if (await this.s.redis.zscore(this.key('outbox', pub), offer.key) !== null) return;
    const item: DigestItem = {
      key: offer.key, title: offer.title, url: offer.url, publisherId: pub, recordedAt: this.s.now(),
      ...pick(offer, ['location', 'province', 'contract', 'hours', 'validThrough', 'employer']),
    };
    const seq = await this.s.redis.incr(this.key('seq', pub));
    await this.s.redis.multi()
      .hset(this.key('item', pub), offer.key, JSON.stringify(item))
      .zadd(this.key('outbox', pub), 'NX', seq, offer.key)
      .hset(this.key('urls', pub), offer.url, offer.key)
      .exec();
  }

  /** A closed offer leaves the outbox: digests from now on do not list it. */
  async remove(pub: string, offerKey: string): Promise<void> {
    await this.s.redis.multi().zrem(this.key('outbox', pub), offerKey).hdel(this.key('item', pub), offerKey).exec();
  }

  /** The key of the offer recorded with this URL, if one ever was (closed ones included). */
  async keyOfUrl(pub: string, url: string): Promise<string | null> {
    return this.s.redis.hget(this.key('urls', pub), url);
  }

  /**
   * Forgets offers recorded before `before` whose sequence every digest has passed (`upTo`): the outbox
   * would otherwise grow for ever (Redis runs with noeviction). At most `batch` per call.
   */
  async prune(pub: string, upTo: number, before: number, batch = 500): Promise<number> {
    const keys = await this.s.redis.zrangebyscore(this.key('outbox', pub), '-inf', upTo, 'LIMIT', 0, batch);
    if (!keys.length) return 0;
    const raw = await this.s.redis.hmget(this.key('item', pub), ...keys);
    const m = this.s.redis.multi();
    let n = 0;
    keys.forEach((k, i) => {
      const item = raw[i] ? (JSON.parse(raw[i]!) as DigestItem) : undefined;
      if (item && item.recordedAt >= before) return;
      m.zrem(this.key('outbox', pub), k).hdel(this.key('item', pub), k);
      if (item) m.hdel(this.key('urls', pub), item.url);
      n++;
    });
    if (n) await m.exec();
    return n;
  }

  async seq(pub: string): Promise<number> { return Number(await this.s.redis.get(this.key('seq', pub)) ?? 0); }

  async has(pub: string, offerKey: string): Promise<boolean> { return (await this.s.redis.zscore(this.key('outbox', pub), offerKey)) !== null; }

  /** The offers recorded after sequence `after` up to `upTo`, oldest first. */
  async between(pub: string, after: number, upTo: number): Promise<DigestItem[]> {
    if (upTo <= after) return [];
    const keys = await this.s.redis.zrangebyscore(this.key('outbox', pub), `(${after}`, upTo);
    if (!keys.length) return [];
    const raw = await this.s.redis.hmget(this.key('item', pub), ...keys);
    return raw.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as DigestItem);
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined && o[k] !== null && o[k] !== '') out[k] = o[k];
  return out;
}
