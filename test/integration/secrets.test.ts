// SPDX-License-Identifier: EUPL-1.2
/**
 * Promise 5, secrets never leave: drive every error path we have (Facebook SDK errors that carry the
 * token in error.url, X 401, 5xx, HTML bodies, dropped and hung connections, throttles, config errors,
 * a worker process killed mid-post) and search everything a person or a log shipper can see — the
 * logs, what Redis stores (ledger, channel states, job data), and the output of `banditore status`,
 * `check` (with revoked tokens), `worker` and bad configs — for every token. None may appear.
 */
import { describe, it, expect } from 'vitest';
import { graphError } from '../../src/channels/facebook/emulator.ts';
import { waitFor, livePosts } from '../helpers/stack.ts';
import type { Fleet } from '../chaos/helpers/fleet.ts';
import { runBanditore, waitForLine } from '../chaos/helpers/processes.ts';
import { fleetPerTest } from '../chaos/helpers/per-test.ts';

const fleets = fleetPerTest();

const HTML = '<html><body><h1>502 Bad Gateway</h1></body></html>';

/** Every value stored under the deployment's prefix, as text. */
async function dumpRedis(f: Fleet): Promise<string> {
  const r = f.rt.redis;
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await r.scan(cursor, 'MATCH', `${f.prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const k of keys) {
      const type = await r.type(k);
      if (type === 'string') out.push(k, String(await r.get(k)));
      else if (type === 'hash') out.push(k, JSON.stringify(await r.hgetall(k)));
      else if (type === 'list') out.push(k, JSON.stringify(await r.lrange(k, 0, -1)));
      else if (type === 'set') out.push(k, JSON.stringify(await r.smembers(k)));
      else if (type === 'zset') out.push(k, JSON.stringify(await r.zrange(k, '0', '-1')));
      else if (type === 'stream') out.push(k, JSON.stringify(await r.xrange(k, '-', '+')));
    }
  } while (cursor !== '0');
  return out.join('\n');
}

function expectNoSecret(where: string, text: string, secrets: string[]): void {
  expect(text.length, `${where} is empty: the search would prove nothing`).toBeGreaterThan(0);
  for (const s of secrets) expect(text.includes(s), `${where} contains a secret (${s.slice(0, 6)}…)`).toBe(false);
}

describe('secrets never leave', () => {
  it('are in no log line, no stored value and no CLI output, whatever fails', async () => {
    const f = await fleets.start({ publishers: 2, offersEach: 3, postTimeout: '1s' });
    const [a, b] = f.pubs as [typeof f.pubs[0], typeof f.pubs[0]];
    // Facebook: a 190 (the SDK's error carries the request URL with access_token), a 5xx, an HTML page, a drop, a hang, a code 4.
    await f.graphControl('revoke', a.pageToken, 460);
    await f.graphControl('failNext', 1, { status: 500, body: graphError(2, 'Service temporarily unavailable', { transient: true }) });
    await f.graphControl('failNext', 1, { status: 502, body: HTML, contentType: 'text/html' });
    await f.graphControl('dropNext', 1);
    await f.graphControl('hangNext', 1);
    // X: a 401 for one user; for the other a 429 (reset in 3 s), a 503, an HTML page, a drop and a hang.
    await f.xControl('revoke', b.xToken);
    await f.xControl('failNext', 1, { status: 429, body: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, headers: { 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + 3) } });
    await f.xControl('failNext', 1, { status: 503, body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 } });
    await f.xControl('failNext', 1, { status: 502, body: HTML, contentType: 'text/html' });
    await f.xControl('dropNext', 1);
    await f.xControl('hangNext', 1);

    // A worker process too, so its own stdout is searched; it is killed mid-way (a crash).
    const child = fleets.spawn(['worker', '--config', f.configPath], f.env);
    await waitForLine(child, /delivery workers started/);
    await f.startWorkers();
    await f.pollAll();
    await waitFor('the healthy channels post everything', async () =>
      livePosts(await f.xPosts()).length === 3 && livePosts(await f.graphPosts()).length === 3, 90_000, 200);
    await waitFor('both refused channels paused', async () =>
      (await f.rt.channels.get(a.id, 'facebook')).paused && (await f.rt.channels.get(b.id, 'twitter')).paused, 30_000, 100);
    await child.kill('SIGKILL');

    // The errors were really there: logs name them (so the search below searched something real).
    const logs = f.logs.join('') + child.output.join('\n');
    expect(logs).toMatch(/190/);
    expect(logs).toMatch(/X 401|Unauthorized/);
    expectNoSecret('the logs', logs, f.secrets);
    expectNoSecret('Redis', await dumpRedis(f), f.secrets);

    const status = await runBanditore(['status', '--config', f.configPath], f.env);
    expect(status.code).toBe(0);
    expectNoSecret('banditore status', status.output, f.secrets);
    const statusJson = await runBanditore(['status', '--json', '--config', f.configPath], f.env);
    expectNoSecret('banditore status --json', statusJson.output, f.secrets);

    const check = await runBanditore(['check', '--config', f.configPath], f.env);
    expect(check.code).toBe(1);
    expect(check.output).toMatch(/ERRORE/);
    expectNoSecret('banditore check with revoked tokens', check.output, f.secrets);
  }, 150_000);

  it('are not echoed by config errors, even when a secret lands in the wrong field', async () => {
    const f = await fleets.start({ publishers: 1, offersEach: 1 });
    const badYamls = {
      'secret-as-url.yaml': f.yaml.replace(/apiBaseUrl: \S+/, 'apiBaseUrl: ${X_ACCESS_TOKEN_0}'),
      'secret-as-page.yaml': f.yaml.replace(/pageId: "\d+"/, 'pageId: ${FB_PAGE_TOKEN_0}'),
      'secret-as-number.yaml': f.yaml.replace(/concurrency: \d+/, 'concurrency: ${X_ACCESS_SECRET_0}'),
      'unknown-key.yaml': f.yaml.replace('        appKey: ${X_APP_KEY}', '        appKey: ${X_APP_KEY}\n        apiKey: ${X_APP_SECRET}'),
    };
    for (const [name, yaml] of Object.entries(badYamls)) {
      const path = await f.dir.write(name, yaml);
      for (const cmd of [['check', '--config', path], ['worker', '--config', path]]) {
        const res = await runBanditore(cmd, f.env);
        expect(res.code, `${cmd[0]} ${name}`).not.toBe(0);
        expectNoSecret(`${cmd[0]} with ${name}`, res.output, f.secrets);
      }
    }
  }, 240_000);
});
