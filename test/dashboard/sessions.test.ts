// SPDX-License-Identifier: EUPL-1.2
/**
 * Sessions in Redis, seen through two fastify instances on one prefix: an idle session ends (the key's
 * TTL, pushed forward by every request), an old one ends however busy (sessionMaxAge), a person removed
 * from the config is signed out, and without trustProxy a forged X-Forwarded-For buys no extra guesses.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PEOPLE_PASSWORD, basic, cookieFrom, csrfIn, login, makeDashboard, sessionKeys } from './fixture.ts';
import { hashId } from '../../src/dashboard/security/sessions.ts';
import { keysFor } from '../../src/redis/keys.ts';

const apps: FastifyInstance[] = [];
afterEach(async () => { for (const a of apps.splice(0)) await a.close(); });

async function pair(config: Parameters<typeof makeDashboard>[0] = {}) {
  const one = await makeDashboard({ ...config, withPeople: true });
  const two = await makeDashboard({ ...config, withPeople: true, prefix: one.prefix });
  apps.push(two.app, one.app);
  return { one, two, keys: keysFor(one.prefix) };
}

const idOf = (cookie: string) => cookie.slice('banditore_session='.length);

describe('sessions in Redis', () => {
  it('ends a session left idle, and every request pushes the idle end forward', async () => {
    const { one, two, keys } = await pair({ config: { idleTimeout: 30 * 60_000 } });
    const s = await login(one.app, '10.0.0.1', 'maria.pescara', PEOPLE_PASSWORD);
    const key = keys.session(hashId(idOf(s.cookie)));
    const ttl = await one.redis.pttl(key);
    expect(ttl).toBeGreaterThan(29 * 60_000);
    expect(ttl).toBeLessThanOrEqual(30 * 60_000);
    // Time passes (the idle end comes close); a request on the other process restarts the idle time.
    await one.redis.pexpire(key, 5_000);
    // The overview's own polling is not activity: an unattended page still reaches the idle end.
    expect((await two.app.inject({ url: '/api/status', headers: { cookie: s.cookie, 'x-banditore-live': '1' } })).statusCode).toBe(200);
    expect(await one.redis.pttl(key)).toBeLessThanOrEqual(5_000);
    expect((await two.app.inject({ url: '/api/status', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    expect(await one.redis.pttl(key)).toBeGreaterThan(29 * 60_000);
    // The idle time runs out: the session is gone on both processes.
    await one.redis.pexpire(key, 1);
    await new Promise((r) => setTimeout(r, 20));
    for (const app of [one.app, two.app]) {
      expect((await app.inject({ url: '/api/status', headers: { cookie: s.cookie } })).statusCode).toBe(401);
      const page = await app.inject({ url: '/offers', headers: { cookie: s.cookie, accept: 'text/html' } });
      expect(page.headers.location).toBe('/login?next=%2Foffers');
    }
  });

  it('ends a session sessionMaxAge after sign-in, however busy it is', async () => {
    let now = Date.now();
    const { one, two, keys } = await pair({ config: { sessionMaxAge: 12 * 3_600_000 }, deps: { now: () => now } });
    const s = await login(one.app, '10.0.0.1', 'maria.pescara', PEOPLE_PASSWORD);
    now += 11 * 3_600_000;
    expect((await two.app.inject({ url: '/api/status', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    // Near the absolute end the key expires with it, not a whole idle time later.
    now += 3_600_000 - 60_000;
    expect((await two.app.inject({ url: '/api/status', headers: { cookie: s.cookie } })).statusCode).toBe(200);
    expect(await one.redis.pttl(keys.session(hashId(idOf(s.cookie))))).toBeLessThanOrEqual(60_000);
    now += 60_001;
    expect((await one.app.inject({ url: '/api/status', headers: { cookie: s.cookie } })).statusCode).toBe(401);
    expect(await one.redis.exists(keys.session(hashId(idOf(s.cookie))))).toBe(0);
  });

  it('keeps no usable cookie value in Redis, and sets the cookie HttpOnly, SameSite and (behind https) Secure', async () => {
    const { one, keys } = await pair({ publicUrl: 'https://lavoro.example.it' });
    const page = await one.app.inject({ url: '/login' });
    const res = await one.app.inject({
      method: 'POST', url: '/login', headers: { cookie: `banditore_login=${cookieFrom(page, 'banditore_login')}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrfIn(page.body)!, username: 'maria.pescara', password: PEOPLE_PASSWORD }).toString(),
    });
    const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((c) => c.startsWith('banditore_session='))!;
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    expect(set).toMatch(/Secure/i);
    expect(set).toMatch(/Max-Age=43200/);
    const id = cookieFrom(res, 'banditore_session')!;
    const stored = await sessionKeys(one.redis, keys.prefix);
    expect(stored).toEqual([keys.session(hashId(id))]);
    expect(stored[0]).not.toContain(id);
    expect(await one.redis.get(stored[0]!)).not.toContain(id);
  });

  it('signs out a person who is no longer in the config', async () => {
    const { one } = await pair();
    const s = await login(one.app, '10.0.0.1', 'maria.pescara', PEOPLE_PASSWORD);
    // The same Redis prefix, a dashboard whose config no longer lists her (a restart with a new config).
    const later = await makeDashboard({ prefix: one.prefix, config: { users: [] } });
    apps.unshift(later.app);
    expect((await later.app.inject({ url: '/api/status', headers: { cookie: s.cookie } })).statusCode).toBe(401);
    expect((await one.app.inject({ url: '/api/status', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('without trustProxy, counts the connection\'s address: a forged X-Forwarded-For buys no extra guesses', async () => {
    const { one, two } = await pair();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const app = i % 2 ? two.app : one.app;
      const res = await app.inject({ url: '/api/status', remoteAddress: '10.5.5.5', headers: { authorization: basic('maria.pescara', `wrong-${i}`), 'x-forwarded-for': `192.0.2.${i}` } });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
