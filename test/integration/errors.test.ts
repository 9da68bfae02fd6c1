// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #3, errors that pause and errors that retry: a revoked token (Facebook 190, X 401) pauses only
 * that publisher's channel, alerts once and keeps its jobs; `banditore resume` (the CLI) releases them and
 * each posts once. 5xx answers and broken (HTML) bodies are retried; a permanent refusal fails with the
 * network's own message; a duplicate we never sent is final.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { graphError } from '../../src/channels/facebook/emulator.ts';
import { waitFor, livePosts } from '../helpers/stack.ts';
import { drained } from '../helpers/evidence.ts';
import { startFleet, xUserFor, type Fleet } from '../chaos/helpers/fleet.ts';
import { runBanditore } from '../chaos/helpers/processes.ts';

let fleet: Fleet | undefined;
afterEach(async () => { await fleet?.stop(); fleet = undefined; });

const HTML_502 = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';

async function ledgerStates(f: Fleet, pub: string, net: 'twitter' | 'facebook') {
  const keys = await f.rt.offers.list(pub, 0, 100);
  return Promise.all(keys.map((k) => f.rt.ledger.get(pub, net, k)));
}

describe('a refused token pauses one channel only', () => {
  it('Facebook 190 and X 401 pause their own channel, alert once, hold the jobs; the rest goes on; `banditore resume` posts each held offer once', async () => {
    fleet = await startFleet({ publishers: 3, offersEach: 3 });
    const f = fleet;
    const [a, b, c] = f.pubs as [typeof f.pubs[0], typeof f.pubs[0], typeof f.pubs[0]];
    await f.graphControl('revoke', a.pageToken, 463);
    await f.xControl('revoke', b.xToken);
    await f.startWorkers();
    await f.pollAll();

    const xs = async () => livePosts(await f.xPosts());
    const fbs = async () => livePosts(await f.graphPosts());
    const xOf = async (p: typeof a) => (await xs()).filter((x) => x.userId === xUserFor(p.xToken).id);
    const fbOf = async (p: typeof a) => (await fbs()).filter((g) => g.pageId === p.pageId);
    await waitFor('the healthy channels post everything', async () =>
      (await xOf(a)).length === 3 && (await fbOf(b)).length === 3 && (await xOf(c)).length === 3 && (await fbOf(c)).length === 3, 40_000, 100);
    await waitFor('both refused channels hold their 3 jobs', async () =>
      (await f.rt.redis.scard(f.rt.keys.held(a.id, 'facebook'))) === 3 && (await f.rt.redis.scard(f.rt.keys.held(b.id, 'twitter'))) === 3, 20_000, 100);
    expect(await fbOf(a)).toEqual([]);
    expect(await xOf(b)).toEqual([]);

    const fbState = await f.rt.channels.get(a.id, 'facebook');
    expect(fbState).toMatchObject({ paused: true, kind: 'auth' });
    expect(fbState.reason).toMatch(/190/);
    expect((await f.rt.channels.get(b.id, 'twitter'))).toMatchObject({ paused: true, kind: 'auth' });
    for (const [p, n] of [[a, 'twitter'], [b, 'facebook'], [c, 'twitter'], [c, 'facebook']] as const) {
      expect((await f.rt.channels.get(p.id, n)).paused, `${p.id}/${n}`).toBe(false);
    }
    for (const l of await ledgerStates(f, a.id, 'facebook')) expect(l?.state).toBe('held');
    // One alert per incident, each naming its own channel.
    const alerts = f.logs.map((l) => JSON.parse(l) as { alert?: boolean; publisher?: string; channel?: string }).filter((l) => l.alert);
    expect(alerts.map((l) => `${l.publisher}/${l.channel}`).sort()).toEqual([`${a.id}/facebook`, `${b.id}/twitter`]);

    // The operator fixes the token and resumes from the command line.
    await f.graphControl('unrevoke', a.pageToken);
    const resumed = await runBanditore(['resume', '--config', f.configPath, `${a.id}/facebook`], f.env);
    expect(resumed.code).toBe(0);
    expect(resumed.output).toContain("office0/facebook ripreso; 3 post trattenuti rilasciati");
    for (const s of f.secrets) expect(resumed.output).not.toContain(s);
    await waitFor('the held offers posted', async () => (await fbOf(a)).length === 3, 30_000, 100);
    // Every Facebook job has run to its end (b's X jobs stay held on purpose).
    await drained(f.rt, { queues: ['facebook'] });
    for (const o of a.feed.published()) expect((await fbOf(a)).filter((g) => g.link === o.url)).toHaveLength(1);
    for (const l of await ledgerStates(f, a.id, 'facebook')) expect(l?.state).toBe('posted');
    // The X channel of b stays paused and keeps its jobs until its own resume.
    expect(await xOf(b)).toEqual([]);
    expect((await f.rt.channels.get(b.id, 'twitter')).paused).toBe(true);
  });
});

describe('transient failures are retried, permanent ones are not', () => {
  it('retries 5xx answers and HTML bodies on both networks and posts each offer once', async () => {
    fleet = await startFleet({ publishers: 1, offersEach: 3 });
    const f = fleet;
    await f.xControl('failNext', 2, { status: 503, body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 } });
    await f.xControl('failNext', 1, { status: 502, body: HTML_502, contentType: 'text/html' });
    await f.graphControl('failNext', 1, { status: 500, body: graphError(2, 'An unexpected error has occurred. Please retry your request later.', { transient: true }) });
    await f.graphControl('failNext', 1, { status: 502, body: HTML_502, contentType: 'text/html' });
    await f.graphControl('failNext', 1, { status: 500, body: graphError(1, 'An unknown error occurred') });
    await f.startWorkers();
    await f.pollAll();
    await waitFor('three posts on each network', async () => livePosts(await f.xPosts()).length === 3 && livePosts(await f.graphPosts()).length === 3, 40_000, 100);
    await drained(f.rt);
    const xs = livePosts(await f.xPosts());
    const fbs = livePosts(await f.graphPosts());
    for (const o of f.pubs[0]!.feed.published()) {
      expect(xs.filter((x) => x.text.includes(o.url))).toHaveLength(1);
      expect(fbs.filter((g) => g.link === o.url)).toHaveLength(1);
    }
    for (const n of ['twitter', 'facebook'] as const) for (const l of await ledgerStates(f, 'office0', n)) expect(l?.state).toBe('posted');
    expect((await f.rt.channels.get('office0', 'twitter')).paused).toBe(false);
    expect((await f.rt.channels.get('office0', 'facebook')).paused).toBe(false);
  });

  it('fails a post refused for good with the network\'s message, once, and a duplicate we never sent is final', async () => {
    fleet = await startFleet({ publishers: 1, offersEach: 2 });
    const f = fleet;
    await f.xControl('failNext', 1, { status: 400, body: { errors: [{ parameters: { text: ['x'] }, message: 'text: Tweet text is not allowed here' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' } });
    await f.graphControl('failNext', 1, { status: 400, body: graphError(506, 'Duplicate status message') });
    await f.startWorkers();
    await f.pollAll();
    await waitFor('one post on each network and one failure each', async () => {
      const tw = await ledgerStates(f, 'office0', 'twitter');
      const fb = await ledgerStates(f, 'office0', 'facebook');
      return tw.filter((l) => l?.state === 'failed').length === 1 && fb.filter((l) => l?.state === 'failed').length === 1
        && livePosts(await f.xPosts()).length === 1 && livePosts(await f.graphPosts()).length === 1;
    }, 30_000, 100);
    const tw = (await ledgerStates(f, 'office0', 'twitter')).find((l) => l?.state === 'failed')!;
    expect(tw.errorClass).toBe('permanent');
    expect(tw.lastError).toMatch(/Tweet text is not allowed here/);
    expect(tw.attempts).toBe(1);
    const fb = (await ledgerStates(f, 'office0', 'facebook')).find((l) => l?.state === 'failed')!;
    expect(fb.errorClass).toBe('duplicate');
    expect(fb.lastError).toMatch(/Duplicate status message/);
    // Nothing retries a final failure: no job is left to run (the two refused ones are failed for good).
    await drained(f.rt);
    expect(livePosts(await f.xPosts())).toHaveLength(1);
    expect(livePosts(await f.graphPosts())).toHaveLength(1);
  });
});
