// SPDX-License-Identifier: EUPL-1.2
/**
 * The emulators themselves, on the wire: headers and bodies the contracts promise, and the out-of-process
 * mode (serve.ts + /__control/) that multi-process tests and the sandbox demo use.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startXEmulator, type XEmulator } from '../../src/channels/twitter/emulator.ts';
import { startGraphEmulator, type GraphEmulator } from '../../src/channels/facebook/emulator.ts';
import { callControl } from '../../src/sandbox/emulators/http-kit.ts';
import { FaultPlan } from '../../src/sandbox/emulators/faults.ts';
import { createChannel } from '../../src/channels/registry.ts';
import type { FacebookConfig, TwitterConfig } from '../../src/config/schema.ts';
import { channelContext } from '../helpers/channel-context.ts';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => { while (cleanups.length) await cleanups.pop()!(); });

async function x(opts?: Parameters<typeof startXEmulator>[0]): Promise<XEmulator> {
  const e = await startXEmulator(opts); cleanups.push(() => e.close()); return e;
}
async function graph(opts?: Parameters<typeof startGraphEmulator>[0]): Promise<GraphEmulator> {
  const e = await startGraphEmulator(opts); cleanups.push(() => e.close()); return e;
}
const oauth = (token: string, app = 'app1') => `OAuth oauth_consumer_key="${app}",oauth_token="${encodeURIComponent(token)}",oauth_signature="x"`;

describe('X emulator on the wire', () => {
  it('answers 201 with edit history and always sends rate-limit headers, 24h ones when configured', async () => {
    const emu = await x({ limits: { perUser: [{ max: 100, windowMs: 900_000 }, { max: 17, windowMs: 86_400_000 }], perApp: [{ max: 1667, windowMs: 86_400_000 }] } });
    const res = await fetch(`${emu.url}/2/tweets`, { method: 'POST', headers: { authorization: oauth('tok'), 'content-type': 'application/json' }, body: JSON.stringify({ text: 'ciao' }) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { data: { id: string; text: string; edit_history_tweet_ids: string[] } };
    expect(body.data.text).toBe('ciao');
    expect(body.data.id).toMatch(/^\d{15,20}$/);
    expect(body.data.edit_history_tweet_ids).toEqual([body.data.id]);
    expect(res.headers.get('x-rate-limit-limit')).toBe('100');
    expect(res.headers.get('x-rate-limit-remaining')).toBe('99');
    expect(Number(res.headers.get('x-rate-limit-reset'))).toBeGreaterThan(Date.now() / 1000);
    expect(res.headers.get('x-user-limit-24hour-remaining')).toBe('16');
    expect(res.headers.get('x-app-limit-24hour-remaining')).toBe('1666');
    expect(emu.posts()[0]).toMatchObject({ userId: emu.userFor('tok').id, appKey: 'app1', deleted: false });
  });

  it('counts URLs as 23 and CJK as 2 (twitter-text)', async () => {
    const emu = await x();
    const send = (text: string) => fetch(`${emu.url}/2/tweets`, { method: 'POST', headers: { authorization: oauth('tok'), 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    expect((await send('a'.repeat(256) + ' https://example.com/' + 'x'.repeat(200))).status).toBe(201);
    expect((await send('中'.repeat(141))).status).toBe(400);
    expect((await send('中'.repeat(140))).status).toBe(201);
  });

  it('every distinct token is a distinct user; a duplicate is per user', async () => {
    const emu = await x({ tier: 'basic' });
    const send = (tok: string) => fetch(`${emu.url}/2/tweets`, { method: 'POST', headers: { authorization: oauth(tok), 'content-type': 'application/json' }, body: '{"text":"same"}' });
    expect((await send('a')).status).toBe(201);
    expect((await send('b')).status).toBe(201);
    const dup = await send('a');
    expect(dup.status).toBe(403);
    expect(await dup.json()).toMatchObject({ detail: 'You are not allowed to create a Tweet with duplicate content.' });
    const me = await (await fetch(`${emu.url}/2/users/me`, { headers: { authorization: oauth('b') } })).json();
    expect(me).toEqual({ data: emu.userFor('b') });
    const empty = await (await fetch(`${emu.url}/2/users/${emu.userFor('c').id}/tweets`, { headers: { authorization: oauth('c') } })).json();
    expect(empty).toEqual({ meta: { result_count: 0 } });
  });
});

describe("X emulator's real modes on the wire", () => {
  const get = (emu: XEmulator, path: string, tok = 'tok') => fetch(`${emu.url}${path}`, { headers: { authorization: oauth(tok) } });
  const tweet = (emu: XEmulator, text: string, tok = 'tok') => fetch(`${emu.url}/2/tweets`, { method: 'POST', headers: { authorization: oauth(tok), 'content-type': 'application/json' }, body: JSON.stringify({ text }) });

  it('the Free tier (the default) serves users/me and posts, and answers every other read 403 client-not-enrolled', async () => {
    const emu = await x();
    expect((await get(emu, '/2/users/me')).status).toBe(200);
    expect((await tweet(emu, 'ciao')).status).toBe(201);
    for (const path of [`/2/users/${emu.userFor('tok').id}/tweets`, '/2/tweets/search/recent?query=a', '/2/users/by/username/x']) {
      const res = await get(emu, path);
      expect(res.status, path).toBe(403);
      expect(await res.json()).toMatchObject({ title: 'Client Forbidden', reason: 'client-not-enrolled', required_enrollment: 'Appropriate Level of API Access', type: 'https://api.twitter.com/2/problems/client-forbidden' });
    }
    emu.setTier('pro');
    expect((await get(emu, `/2/users/${emu.userFor('tok').id}/tweets`)).status).toBe(200);
  });

  it('sends x-access-level on every answer; a read token\'s writes get 403 oauth1-permissions', async () => {
    const emu = await x();
    expect((await tweet(emu, 'uno')).headers.get('x-access-level')).toBe('read-write');
    expect((await tweet(emu, 'uno')).headers.get('x-access-level')).toBe('read-write'); // the duplicate 403 too
    expect((await get(emu, '/2/users/me')).headers.get('x-access-level')).toBe('read-write');
    emu.setAccessLevel('ro', 'read');
    const refused = await tweet(emu, 'due', 'ro');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-access-level')).toBe('read');
    expect(await refused.json()).toEqual({ title: 'Forbidden', status: 403, detail: 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.', type: 'https://api.twitter.com/2/problems/oauth1-permissions' });
    expect((await get(emu, '/2/users/me', 'ro')).status).toBe(200);
    emu.setAccessLevel('dm', 'read-write-directmessages');
    expect((await tweet(emu, 'tre', 'dm')).status).toBe(201);
  });

  it('a suspended account gets 403 user-suspended on every call', async () => {
    const emu = await x();
    emu.suspend('tok');
    for (const res of [await tweet(emu, 'quattro'), await get(emu, '/2/users/me')]) {
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ type: 'https://api.twitter.com/2/problems/user-suspended', detail: 'The user used for authentication is suspended' });
    }
    emu.unsuspend('tok');
    expect((await tweet(emu, 'quattro')).status).toBe(201);
  });

  it('seeded fault rates roll the same way twice, and each kind stores or not as it says', () => {
    const kinds = () => {
      const plan = new FaultPlan();
      plan.setSeed(42);
      plan.setRates({ commitThenDrop: 0.2, hangBeforeCommit: 0.2, commitThenHang: 0.1 });
      return Array.from({ length: 200 }, () => plan.take()?.kind ?? 'none');
    };
    const a = kinds();
    expect(kinds()).toEqual(a);
    for (const k of ['drop', 'hang', 'commit-hang', 'none']) expect(a).toContain(k);
  });
});

describe('Graph emulator on the wire', () => {
  it('accepts form bodies and any version, ignores an extra id, and sends BUC usage on every answer', async () => {
    const emu = await graph({ limits: { perPage: [{ max: 4, windowMs: 3_600_000 }] } });
    const res = await fetch(`${emu.url}/v19.0/55/feed`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'message=ciao&link=https%3A%2F%2Fa.example%2F1&id=55&access_token=t' });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^55_\d+$/);
    const usage = JSON.parse(res.headers.get('x-business-use-case-usage')!);
    expect(usage['55'][0]).toMatchObject({ type: 'pages', call_count: 25, estimated_time_to_regain_access: 0 });
    const read = await (await fetch(`${emu.url}/v24.0/${id}?fields=id,message,link&access_token=t`)).json();
    expect(read).toEqual({ id, message: 'ciao', link: 'https://a.example/1' });
    const feed = (await (await fetch(`${emu.url}/v24.0/55/feed?fields=id,message&limit=1&access_token=t`)).json()) as { data: unknown[]; paging: unknown };
    expect(feed.data).toEqual([{ id, message: 'ciao' }]);
    expect(feed.paging).toBeDefined();
    // /me answers the Page the token was first used with.
    expect(await (await fetch(`${emu.url}/v24.0/me?fields=id,name&access_token=t`)).json()).toMatchObject({ id: '55' });
  });

  it('errors are Graph JSON with fbtrace_id; a deleted post is code 100 subcode 33', async () => {
    const emu = await graph();
    const { id } = (await (await fetch(`${emu.url}/v24.0/55/feed?access_token=t`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"m"}' })).json()) as { id: string };
    expect(await (await fetch(`${emu.url}/v24.0/${id}?access_token=t`, { method: 'DELETE' })).json()).toEqual({ success: true });
    const gone = (await (await fetch(`${emu.url}/v24.0/${id}?access_token=t`)).json()) as { error: Record<string, unknown> };
    expect(gone.error).toMatchObject({ type: 'OAuthException', code: 100, error_subcode: 33 });
    expect(typeof gone.error.fbtrace_id).toBe('string');
  });
});

describe("Graph emulator's real modes on the wire", () => {
  it('a blocked Page answers #368 with Facebook\'s body to publishes and edits, and reads still work', async () => {
    const emu = await graph({ pages: [{ id: '55', name: 'P', token: 't' }] });
    const publish = () => fetch(`${emu.url}/v24.0/55/feed?access_token=t`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"m"}' });
    expect((await publish()).status).toBe(200);
    emu.setBlocked('55', true);
    const res = await publish();
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: Record<string, unknown> };
    expect(error).toMatchObject({ type: 'OAuthException', code: 368, error_subcode: 1390008, is_transient: true, error_user_title: "You Can't Use This Feature Right Now" });
    expect(String(error.message)).toMatch(/temporarily blocked/);
    expect(typeof error.fbtrace_id).toBe('string');
    expect((await fetch(`${emu.url}/v24.0/55/feed?access_token=t`)).status).toBe(200);
  });

  it('refuses the same message twice in a row (#506) unless duplicates are accepted', async () => {
    const emu = await graph();
    const publish = () => fetch(`${emu.url}/v24.0/55/feed?access_token=t`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"message":"uguale"}' });
    expect((await publish()).status).toBe(200);
    expect(((await (await publish()).json()) as { error: { code: number } }).error.code).toBe(506);
    emu.setAcceptDuplicates(true);
    expect((await publish()).status).toBe(200);
    expect(emu.posts()).toHaveLength(2);
  });
});

describe('out of process: serve.ts and /__control/', () => {
  it('starts both emulators, prints their URLs, and is driven over HTTP', async () => {
    const child: ChildProcess = spawn(process.execPath, ['bin/run-ts.js', 'src/sandbox/emulators/serve.ts', '--pages', JSON.stringify([{ id: '77', name: 'Pagina', token: 'pt' }])], { stdio: ['ignore', 'pipe', 'inherit'] });
    cleanups.push(() => new Promise((r) => { child.once('exit', r); child.kill('SIGTERM'); }));
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('exit', (c) => reject(new Error(`serve.ts exited with ${c}`)));
    });
    const urls = JSON.parse(line) as { x: string; graph: string };

    const tw = createChannel('twitter', { apiBaseUrl: urls.x, appKey: 'k', appSecret: 's', accessToken: 'tok', accessSecret: 'ts' } as TwitterConfig, channelContext(5000));
    expect(tw).toMatchObject({ network: 'twitter', accountKey: expect.stringMatching(/^x-/) });
    await callControl(urls.x, 'failNext', 1, { status: 503, body: { title: 'Service Unavailable' } });
    await expect(tw.post({ text: 'uno https://o.example/1', link: 'https://o.example/1' })).rejects.toMatchObject({ errorClass: 'transient' });
    await tw.post({ text: 'uno https://o.example/1', link: 'https://o.example/1' });
    await callControl(urls.x, 'revoke', 'tok');
    await expect(tw.verify()).rejects.toMatchObject({ errorClass: 'auth' });
    expect(((await callControl(urls.x, 'posts')) as { text: string }[]).map((p) => p.text)).toEqual(['uno https://o.example/1']);

    const fb = createChannel('facebook', { graphBaseUrl: urls.graph, pageId: '77', pageAccessToken: 'pt' } as FacebookConfig, channelContext(5000));
    expect(fb).toMatchObject({ network: 'facebook', accountKey: 'fb-77' });
    expect(await fb.verify()).toEqual({ id: '77', name: 'Pagina' });
    await callControl(urls.graph, 'dropNext', 1);
    await expect(fb.post({ text: 'due', link: 'https://o.example/2' })).rejects.toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    expect(await fb.findPostByUrl('https://o.example/2')).not.toBeNull();
    await callControl(urls.graph, 'reset');
    expect(await callControl(urls.graph, 'posts')).toEqual([]);
  });
});
