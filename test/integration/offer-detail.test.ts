// SPDX-License-Identifier: EUPL-1.2
/**
 * OperatorService.findOffer on real Redis and queues: a post waiting for its account's limit says so,
 * with when the next slot frees, and the console words it in the publisher's time zone.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { startStack, waitFor, livePosts, type Stack } from '../helpers/stack.ts';
import { RedisOperatorService } from '../../src/state/operator-service.ts';
import { whyText } from '../../src/cli/commands/offer.ts';
import { createI18n } from '../../src/i18n/index.ts';

let stack: Stack | undefined;
afterEach(async () => { await stack?.stop(); stack = undefined; });

describe('findOffer', () => {
  it('tells a post that waits for the account limit, and until when', async () => {
    stack = await startStack({ initialOffers: 2, networks: ['twitter'], twitterExtra: '        limits: [{ max: 1, per: 1h }]', publisherExtra: '    timezone: Asia/Tokyo' });
    const s = stack;
    await s.startWorkers();
    await s.pollOnce();
    await waitFor('one offer on X', () => livePosts(s.x.posts()).length === 1, 30_000);
    const waiting = s.feed.published().find((o) => !s.x.posts().some((p) => p.text.includes(o.url)))!;
    const op = new RedisOperatorService(s.rt);
    const found = (await waitFor('the second post delayed by the limit', async () => {
      const f = await op.findOffer('pescara', waiting.code);
      return f?.offer.channels[0]?.why?.kind === 'limit' ? f : undefined;
    }, 30_000, 200))!;
    expect(found.matchedBy).toBe('sourceId');
    const x = found.offer.channels[0]!;
    expect(x).toMatchObject({ network: 'twitter', state: 'queued', attempts: 0, job: { state: 'delayed' } });
    const [usage] = await s.rt.limiter.usage(s.rt.book.get('pescara', 'twitter')!.channel.accountKey, [{ max: 1, per: 3_600_000 }], s.rt.now());
    // Both are read from Redis' clock at different moments: the same instant within a few milliseconds.
    expect(Math.abs(x.why!.until! - usage!.nextFreeAt)).toBeLessThan(1000);
    expect(x.why!.until! - Date.now()).toBeGreaterThan(50 * 60_000);
    const w = createI18n('it');
    const tokyo = new Intl.DateTimeFormat('it-IT', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Asia/Tokyo' }).format(x.why!.until!);
    expect(whyText(x.why!, 'pescara', 'twitter', w, (ms) => w.time(ms, found.offer.timezone)))
      .toBe(`in attesa del limite di pubblicazione dell'account: il prossimo posto libero è il ${tokyo}`);
    expect(livePosts(s.x.posts())).toHaveLength(1);
  }, 120_000);
});
