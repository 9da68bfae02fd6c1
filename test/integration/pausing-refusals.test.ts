// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 13, respect each network: refusals that no retry can fix and that every further post would only
 * repeat (Facebook #368 temporarily blocked, an X token that may only read, a suspended X account) pause
 * that publisher's channel with an Italian reason and alert once, like an expired token; the posts are
 * held, never failed one by one, and a resume after the fix posts each once. Real Redis, in-process emulators.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { waitFor, SECRETS, PAGE_ID } from '../helpers/stack.ts';
import { startLife, offer, postsOf, keyOf, type Life } from './life-kit.ts';
import { RedisOperatorService } from '../../src/state/operator-service.ts';

let life: Life | undefined;
afterEach(async () => { await life?.stop(); life = undefined; });

const OFFERS = [offer(1), offer(2), offer(3)];

async function states(l: Life, net: 'twitter' | 'facebook') {
  return Promise.all(OFFERS.map(async (o) => (await l.rt.ledger.get('pescara', net, await keyOf(l, l.office.linkOf(o.code))))?.state));
}

const alerts = (l: Life) => l.logs.map((line) => JSON.parse(line) as { alert?: boolean; channel?: string; pause?: string }).filter((x) => x.alert);

describe('refusals that pause the channel', () => {
  it('Facebook #368 and an X read-only token pause their channel (kinds blocked and permission), alert once and hold every post; resume posts each once', async () => {
    life = await startLife({ initial: OFFERS });
    const l = life;
    l.graph.setBlocked(PAGE_ID, true);
    l.x.setAccessLevel(SECRETS.X_ACCESS_TOKEN, 'read');
    await l.startWorkers();
    await l.pollOnce();
    await waitFor('both channels hold their 3 posts', async () =>
      (await l.rt.channels.heldCount('pescara', 'facebook')) === 3 && (await l.rt.channels.heldCount('pescara', 'twitter')) === 3, 30_000, 100);

    const fb = await l.rt.channels.get('pescara', 'facebook');
    expect(fb).toMatchObject({ paused: true, kind: 'blocked' });
    expect(fb.reason).toMatch(/^Facebook ha bloccato temporaneamente le pubblicazioni della Pagina/);
    expect(fb.reason).toContain('#368');
    const x = await l.rt.channels.get('pescara', 'twitter');
    expect(x).toMatchObject({ paused: true, kind: 'permission' });
    expect(x.reason).toMatch(/^Il token di X ha solo il permesso di lettura/);
    expect(x.reason).toContain('oauth1 app permissions');
    for (const s of Object.values(SECRETS)) expect(`${fb.reason} ${x.reason}`).not.toContain(s);
    // Held, never failed: nothing was lost and nothing was posted.
    expect(await states(l, 'facebook')).toEqual(['held', 'held', 'held']);
    expect(await states(l, 'twitter')).toEqual(['held', 'held', 'held']);
    expect(l.graph.posts()).toEqual([]);
    expect(l.x.posts()).toEqual([]);
    expect(alerts(l).map((a) => `${a.channel}:${a.pause}`).sort()).toEqual(['facebook:blocked', 'twitter:permission']);
    // The dashboard's status shows the kind and the reason.
    const operator = new RedisOperatorService(l.rt);
    const shown = (await operator.status()).channels.find((c) => c.network === 'facebook')!;
    expect(shown.paused).toMatchObject({ kind: 'blocked', reason: fb.reason });

    // The block ends and the token is regenerated with write permission: the operator resumes.
    l.graph.setBlocked(PAGE_ID, false);
    l.x.setAccessLevel(SECRETS.X_ACCESS_TOKEN, 'read-write');
    await operator.resume('pescara', 'facebook', 'test');
    await operator.resume('pescara', 'twitter', 'test');
    await waitFor('every offer posted on both', async () =>
      (await states(l, 'facebook')).every((s) => s === 'posted') && (await states(l, 'twitter')).every((s) => s === 'posted'), 30_000, 100);
    for (const o of OFFERS) {
      const p = postsOf(l, l.office.linkOf(o.code));
      expect(p.fb).toHaveLength(1);
      expect(p.x).toHaveLength(1);
    }
    expect(alerts(l)).toHaveLength(2);
  });

  it('a suspended X account pauses the X channel (kind suspended); Facebook goes on', async () => {
    life = await startLife({ initial: OFFERS });
    const l = life;
    l.x.suspend(SECRETS.X_ACCESS_TOKEN);
    await l.startWorkers();
    await l.pollOnce();
    await waitFor('X holds its posts and Facebook posted', async () =>
      (await l.rt.channels.heldCount('pescara', 'twitter')) === 3 && l.graph.posts().length === 3, 30_000, 100);
    const x = await l.rt.channels.get('pescara', 'twitter');
    expect(x).toMatchObject({ paused: true, kind: 'suspended' });
    expect(x.reason).toMatch(/^L'account X è sospeso/);
    expect((await l.rt.channels.get('pescara', 'facebook')).paused).toBe(false);
    expect(await states(l, 'twitter')).toEqual(['held', 'held', 'held']);
    expect(alerts(l).map((a) => a.pause)).toEqual(['suspended']);
  });
});
