// SPDX-License-Identifier: EUPL-1.2
/**
 * Two real `banditore dashboard` processes on one Redis prefix, as behind a load balancer: a person
 * signed in on one is signed in on the other, one logout signs them out of both, a restart signs nobody
 * out, and behind a reverse proxy (`dashboard.trustProxy`) five wrong passwords from one client block
 * that client on both processes but never a second client, while a person attacked from many
 * addresses is still protected. The passwords' hashes are made by `banditore hash-password`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import type { Redis } from 'ioredis';
import { BIN, startRole, writeConfig } from '../helpers/cli.ts';
import { worldYaml } from '../helpers/operator-world.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';
import { cleanPrefix, connectTestRedis, uniquePrefix, TEST_REDIS_URL } from '../helpers/redis.ts';
import { waitFor } from '../helpers/stack.ts';

const PASSWORD = 'una frase lunga per entrare';

function hashWithTheBinary(password: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'hash-password'], { env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('exit', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`hash-password exited ${code}: ${err}`))));
    child.stdin.end(`${password}\n`);
  });
}

interface Dashboard { url: string; stop(): Promise<void> }

async function startDashboard(config: string): Promise<Dashboard> {
  const role = startRole(['dashboard', '--config', config], { REDIS_URL: TEST_REDIS_URL });
  const url: string = await waitFor('the dashboard to listen', (): string | undefined => {
    for (const line of role.output().split('\n')) {
      try { const j = JSON.parse(line) as { msg?: string; url?: string }; if (j.msg === 'dashboard listening' && j.url) return j.url.replace('localhost', '127.0.0.1'); } catch { /* not a log line */ }
    }
    return undefined;
  }, 30_000) as string;
  return { url, stop: async () => { role.child.kill('SIGTERM'); await role.exited; } };
}

/** A browser's cookie jar for one person, good on any of the dashboards. */
class Client {
  cookies = new Map<string, string>();
  constructor(readonly forwardedFor?: string) {}
  headers(extra: Record<string, string> = {}) {
    return { ...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}), ...(this.forwardedFor ? { 'x-forwarded-for': this.forwardedFor } : {}), ...extra };
  }
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(url, { redirect: 'manual', ...init, headers: this.headers(init.headers as Record<string, string> | undefined) });
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const [k, v] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (v === '' || attrs.some((a) => /max-age=0|expires=thu, 01 jan 1970/i.test(a))) this.cookies.delete(k); else this.cookies.set(k, v);
    }
    return res;
  }
  async signIn(base: string, name: string, password: string): Promise<number> {
    const page = await (await this.fetch(`${base}/login`)).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    const res = await this.fetch(`${base}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, username: name, password, next: '/' }).toString() });
    return res.status;
  }
  async signOut(base: string): Promise<number> {
    const page = await (await this.fetch(`${base}/`, { headers: { accept: 'text/html' } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    return (await this.fetch(`${base}/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf }).toString() })).status;
  }
}

let redis: Redis;
const prefixes: string[] = [];
const running: Dashboard[] = [];

async function twoDashboards(dashboardExtra = ''): Promise<{ a: Dashboard; b: Dashboard; config: string }> {
  const prefix = uniquePrefix('two');
  prefixes.push(prefix);
  const hash = await hashWithTheBinary(PASSWORD);
  const users = [['maria.pescara', 'operator', '["pescara"]'], ['tito.teramo', 'operator', '["teramo"]']]
    .map(([name, role, pubs]) => `    - { name: ${name}, passwordHash: "${hash}", role: ${role}, publishers: ${pubs} }`).join('\n');
  const config = writeConfig(worldYaml(fixtureWorld(), prefix, {
    logLevel: 'info',
    dashboard: `  host: 127.0.0.1\n  port: 0\n  username: operatore\n  password: ${PASSWORD}\n  users:\n${users}${dashboardExtra}`,
  }));
  const [a, b] = await Promise.all([startDashboard(config), startDashboard(config)]);
  running.push(a, b);
  return { a: a!, b: b!, config };
}

beforeAll(async () => { redis = await connectTestRedis(); });
afterAll(async () => {
  await Promise.all(running.map((d) => d.stop().catch(() => undefined)));
  for (const p of prefixes) await cleanPrefix(redis, p);
  await redis?.quit();
});

describe('two dashboard processes on one Redis', () => {
  it('share a session: signed in on one is signed in on the other, one logout signs out of both, a restart signs nobody out', async () => {
    const { a, b, config } = await twoDashboards();
    expect(a.url).not.toBe(b.url);
    const maria = new Client();
    expect(await maria.signIn(a.url, 'maria.pescara', PASSWORD)).toBe(303);
    const onB = await maria.fetch(`${b.url}/`, { headers: { accept: 'text/html' } });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain('maria.pescara (operatore)');
    const status = await (await maria.fetch(`${b.url}/api/status`)).json() as { channels: Array<{ publisher: string }> };
    expect(status.channels.map((c) => c.publisher)).toEqual(['pescara', 'pescara']);

    // A restart of the process she signed in on signs her out of nothing.
    await a.stop();
    const a2 = await startDashboard(config);
    running.push(a2);
    expect((await maria.fetch(`${a2.url}/api/status`)).status).toBe(200);

    // One logout, on the other process, ends the session on both.
    const cookie = maria.headers().cookie!;
    expect(await maria.signOut(b.url)).toBe(303);
    for (const url of [a2.url, b.url]) {
      const res = await fetch(`${url}/api/status`, { headers: { cookie } });
      expect(res.status, url).toBe(401);
      const page = await fetch(`${url}/`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
      expect(page.status).toBe(302);
      expect(page.headers.get('location')).toBe('/login');
    }
  });

  it('behind a proxy, five wrong passwords from one client block it on both processes and never a second client; many addresses still cannot guess one person', async () => {
    const { a, b } = await twoDashboards('\n  trustProxy: true');
    const guesser = new Client('203.0.113.10');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push(await guesser.signIn(i % 2 ? b.url : a.url, 'maria.pescara', `wrong-${i}`));
    statuses.push(await guesser.signIn(b.url, 'tito.teramo', PASSWORD));
    // Blocked from that client, on both processes, even with another person's right password.
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await guesser.signIn(a.url, 'tito.teramo', PASSWORD)).toBe(429);
    // Another client behind the same proxy signs in, on either process, even as the person guessed at.
    const colleague = new Client('203.0.113.20');
    expect(await colleague.signIn(a.url, 'maria.pescara', PASSWORD)).toBe(303);
    expect(await new Client('203.0.113.21').signIn(b.url, 'tito.teramo', PASSWORD)).toBe(303);

    // A person attacked from many addresses: after 10 failures in 15 minutes her password sign-in waits.
    for (let i = 0; i < 10; i++) expect(await new Client(`198.51.100.${i}`).signIn(i % 2 ? a.url : b.url, 'tito.teramo', `guess-${i}`)).toBe(401);
    expect(await new Client('198.51.100.200').signIn(a.url, 'tito.teramo', PASSWORD)).toBe(429);
    // Somebody else from those addresses is not held back by her limit.
    expect(await new Client('198.51.100.3').signIn(b.url, 'maria.pescara', PASSWORD)).toBe(303);
  });
});
