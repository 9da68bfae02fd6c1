// SPDX-License-Identifier: EUPL-1.2
/**
 * One office without `worker.concurrency`: its worker runs one lane per account, so eight new offers go
 * out one after another on each network, each once, and no job is taken only to be bounced back because
 * its account is busy (with twenty lanes, most of the eight were: BullMQ's event stream said `delayed`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startStack, waitFor, livePosts, type Stack } from '../helpers/stack.ts';

let stack: Stack | undefined;
afterEach(async () => { await stack?.stop(); stack = undefined; });

async function delayedEvents(s: Stack, network: string): Promise<number> {
  const entries = (await s.rt.redis.xrange(`${s.prefix}:${network}:events`, '-', '+')) as Array<[string, string[]]>;
  return entries.filter(([, fields]) => fields[0] === 'event' && fields[1] === 'delayed').length;
}

describe('delivery lanes by default', () => {
  it('one account, one lane: eight offers posted once each, none bounced as "account busy"', async () => {
    stack = await startStack({ initialOffers: 8, workerConcurrency: 'default' });
    await stack.startWorkers();
    const started = stack.logs.join('').split('\n').find((l) => l.includes('delivery workers started'));
    expect(started && JSON.parse(started).concurrency).toEqual({ twitter: 1, facebook: 1 });
    await stack.pollOnce();
    const s = stack;
    await waitFor('8 posts on each network', () => livePosts(s.x.posts()).length === 8 && livePosts(s.graph.posts()).length === 8, 30_000);
    expect(new Set(livePosts(s.x.posts()).map((p) => p.text)).size).toBe(8);
    expect(new Set(livePosts(s.graph.posts()).map((p) => p.link)).size).toBe(8);
    expect(await delayedEvents(s, 'twitter')).toBe(0);
    expect(await delayedEvents(s, 'facebook')).toBe(0);
  });
});
