// SPDX-License-Identifier: EUPL-1.2
/**
 * The X adapter through the real twitter-api-v2 SDK against the X emulator: what gets stored, what the
 * adapter returns, and how each failure is classified.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startXEmulator, type XEmulator } from '../../src/channels/twitter/emulator.ts';
import { TwitterChannel } from '../../src/channels/twitter/adapter.ts';
import { ChannelError } from '../../src/channels/channel.ts';
import type { TwitterConfig } from '../../src/config/schema.ts';

let emu: XEmulator;
const secrets = { appKey: 'app-key-1', appSecret: 'app-secret-1', accessToken: 'user-token-1', accessSecret: 'user-secret-1' };

function channel(over: Partial<TwitterConfig> = {}, timeoutMs = 2000): TwitterChannel {
  const cfg = { apiBaseUrl: emu.url, ...secrets, limits: [], attempts: 3, backoff: { initial: 1000, factor: 2, max: 10_000 }, hashtags: [], ...over } as TwitterConfig;
  return new TwitterChannel(cfg, { timeoutMs });
}

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  try { await p; } catch (e) { expect(e).toBeInstanceOf(ChannelError); return e as ChannelError; }
  throw new Error('expected a ChannelError');
}

const post = (n: number | string) => ({ text: `Offerta ${n}: magazziniere a Pescara https://lavoro.example.it/offerte/${n}`, link: `https://lavoro.example.it/offerte/${n}` });

// These tests read the timeline: an emulated tier that serves it (the Free tier's modes are below).
beforeEach(async () => { emu = await startXEmulator({ tier: 'basic' }); });
afterEach(async () => { await emu.close(); });

describe('X adapter against the emulator', () => {
  it('posts once and returns the id and a permalink with the username', async () => {
    const ch = channel();
    const out = await ch.post(post(1));
    const stored = emu.posts();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.text).toBe(post(1).text);
    expect(out.remoteId).toBe(stored[0]!.id);
    expect(out.permalink).toBe(`https://x.com/${emu.userFor(secrets.accessToken).username}/status/${out.remoteId}`);
    expect(ch.accountKey).toMatch(/^x-[0-9a-f]{16}$/);
    expect(ch.appKey).toMatch(/^xapp-[0-9a-f]{16}$/);
    expect(ch.accountKey).not.toContain(secrets.accessToken);
  });

  it('keys the account by the user id at the head of the token, so a regenerated token keeps its limits', () => {
    const a = channel({ accessToken: '1500000000000000001-oldTokenPart' });
    const b = channel({ accessToken: '1500000000000000001-regeneratedPart' });
    expect(a.accountKey).toBe('x-user-1500000000000000001');
    expect(b.accountKey).toBe(a.accountKey);
    expect(a.accountKey).not.toContain('oldTokenPart');
  });

  it('verify answers the account behind the token', async () => {
    const me = await channel().verify();
    expect(me).toEqual({ ...emu.userFor(secrets.accessToken) });
  });

  it('classifies the same text twice as duplicate', async () => {
    const ch = channel();
    await ch.post(post(2));
    const e = await failure(ch.post(post(2)));
    expect(e.errorClass).toBe('duplicate');
    expect(emu.posts()).toHaveLength(1);
  });

  it('classifies text over 280 weighted characters as permanent with X\'s words', async () => {
    const e = await failure(channel().post({ text: 'a'.repeat(281), link: 'https://x.example' }));
    expect(e.errorClass).toBe('permanent');
    expect(e.status).toBe(400);
    expect(e.message).toMatch(/invalid/i);
    expect(emu.posts()).toHaveLength(0);
  });

  it('classifies a revoked token as auth, and the message holds no secret', async () => {
    emu.revoke(secrets.accessToken);
    const e = await failure(channel().post(post(3)));
    expect(e.errorClass).toBe('auth');
    const dump = JSON.stringify({ ...e, message: e.message });
    for (const s of Object.values(secrets)) expect(dump).not.toContain(s);
  });

  it('classifies a 429 as rate-limited with waitUntil at x-rate-limit-reset', async () => {
    emu.setLimits({ perUser: [{ max: 1, windowMs: 15 * 60_000 }] });
    const ch = channel();
    const first = await ch.post(post(4));
    // The success already says the window is spent.
    expect(first.hints?.remaining).toBe(0);
    expect(first.hints?.waitUntil).toBeGreaterThan(Date.now());
    const e = await failure(ch.post(post(5)));
    expect(e.errorClass).toBe('rate-limited');
    expect(e.hints?.waitUntil).toBe(first.hints?.resetAt);
    expect(e.hints?.waitUntil! % 1000).toBe(0);
    expect(emu.posts()).toHaveLength(1);
  });

  it('waits for the 24h reset when the daily user cap is spent, and scopes the app cap to the app', async () => {
    emu.setLimits({ perUser: [{ max: 100, windowMs: 15 * 60_000 }, { max: 1, windowMs: 86_400_000 }] });
    await channel().post(post(6));
    const e = await failure(channel().post(post(7)));
    expect(e.errorClass).toBe('rate-limited');
    expect(e.hints?.scope).toBe('account');
    expect(e.hints?.waitUntil).toBeGreaterThan(Date.now() + 23 * 3_600_000);

    emu.setLimits({ perUser: [{ max: 100, windowMs: 15 * 60_000 }], perApp: [{ max: 1, windowMs: 86_400_000 }] });
    await channel().post(post(8));
    const other = channel({ accessToken: 'user-token-2', accessSecret: 's2' });
    const e2 = await failure(other.post(post(9)));
    expect(e2.errorClass).toBe('rate-limited');
    expect(e2.hints?.scope).toBe('app');
    expect(e2.hints?.waitUntil).toBeGreaterThan(Date.now() + 23 * 3_600_000);
  });

  it('classifies the monthly usage cap as usage-capped even with remaining > 0', async () => {
    emu.setUsageCapped(true);
    const e = await failure(channel().post(post(10)));
    expect(e.errorClass).toBe('usage-capped');
  });

  it('classifies 503 JSON, 500 and an HTML body as transient, to be reconciled (a gateway error may follow a commit)', async () => {
    const ch = channel();
    emu.failNext(1, { status: 503, body: { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status: 503 } });
    emu.failNext(1, { status: 500, body: '<html><body>Internal error</body></html>', contentType: 'text/html' });
    for (let i = 0; i < 2; i++) {
      const e = await failure(ch.post(post(11)));
      expect(e.errorClass).toBe('transient');
      expect(e.unknownOutcome).toBe(true);
    }
    expect(emu.posts()).toHaveLength(0);
  });

  it('commit-then-drop is transient with unknown outcome, and findPostByUrl finds the committed post', async () => {
    const ch = channel();
    emu.dropNext(1);
    const e = await failure(ch.post(post(12)));
    expect(e.errorClass).toBe('transient');
    expect(e.unknownOutcome).toBe(true);
    const found = await ch.findPostByUrl(post(12).link);
    expect(found?.remoteId).toBe(emu.posts()[0]!.id);
    expect(found?.permalink).toContain(`/status/${found?.remoteId}`);
    // A trailing slash on either side is the same link.
    expect((await ch.findPostByUrl(post(12).link + '/'))?.remoteId).toBe(found?.remoteId);
  });

  it('a hung answer times out as transient with unknown outcome', async () => {
    emu.hangNext(1);
    const e = await failure(channel({}, 300).post(post(13)));
    expect(e.errorClass).toBe('transient');
    expect(e.unknownOutcome).toBe(true);
  });

  it('a refused connection is transient and known not to have posted', async () => {
    const url = emu.url;
    await emu.close();
    const e = await failure(channel({ apiBaseUrl: url }).post(post(14)));
    expect(e.errorClass).toBe('transient');
    expect(e.unknownOutcome).toBe(false);
    emu = await startXEmulator({ tier: 'basic' });
  });

  it('findPostByUrl returns null when absent and throws ChannelError when it cannot read', async () => {
    const ch = channel();
    expect(await ch.findPostByUrl('https://lavoro.example.it/offerte/none')).toBeNull();
    await ch.post(post(15));
    expect(await ch.findPostByUrl('https://lavoro.example.it/offerte/none')).toBeNull();
    emu.revoke(secrets.accessToken);
    const e = await failure(channel().findPostByUrl(post(15).link));
    expect(e.errorClass).toBe('auth');
  });

  it('delete removes the post; edit is not possible on X', async () => {
    const ch = channel();
    const out = await ch.post(post(16));
    expect(await ch.edit(out.remoteId, post(16))).toBe(false);
    await ch.delete(out.remoteId);
    expect(emu.posts()[0]!.deleted).toBe(true);
    expect(await ch.findPostByUrl(post(16).link)).toBeNull();
    // Deleted text may be posted again.
    await ch.post(post(16));
  });

  it('findPostByUrl looks past the first page of 100 posts', async () => {
    const ch = channel();
    for (let i = 0; i < 130; i++) await ch.post(post(`deep-${i}`));
    const found = await ch.findPostByUrl(post('deep-0').link);
    expect(found?.remoteId).toBe(emu.posts()[0]!.id);
  });
});

describe("X's real modes through the SDK", () => {
  let free: XEmulator;
  beforeEach(async () => { free = await startXEmulator(); });
  afterEach(async () => { await free.close(); });
  const on = (e: XEmulator, over: Partial<TwitterConfig> = {}, timeoutMs = 2000) =>
    new TwitterChannel({ apiBaseUrl: e.url, ...secrets, limits: [], attempts: 3, backoff: { initial: 1000, factor: 2, max: 10_000 }, hashtags: [], reconcile: 'auto', ...over } as TwitterConfig, { timeoutMs });

  it('the Free tier (the default) posts, deletes and answers users/me, but refuses the timeline: readRefused, no pause', async () => {
    const ch = on(free);
    const out = await ch.post(post(40));
    await ch.delete(out.remoteId);
    expect(free.posts()[0]!.deleted).toBe(true);
    expect((await ch.verify()).id).toBe(free.userFor(secrets.accessToken).id);
    const e = await failure(ch.findPostByUrl(post(40).link));
    expect(e).toMatchObject({ errorClass: 'permanent', readRefused: true, code: 'client-not-enrolled', status: 403 });
    expect(e.pause).toBeUndefined();
    const report = await ch.inspect();
    expect(report.access).toEqual({ level: 'read-write', canPost: true });
    expect(report.readsPosts?.allowed).toBe(false);
  });

  it('a tier chosen for one token reads that token\'s timeline only', async () => {
    free.setTier('basic', secrets.accessToken);
    await on(free).post(post(41));
    expect(await on(free).findPostByUrl(post(41).link)).not.toBeNull();
    expect((await on(free).inspect()).readsPosts).toEqual({ allowed: true });
    const other = on(free, { accessToken: 'user-token-9', accessSecret: 's9' });
    expect((await failure(other.findPostByUrl(post(41).link))).readRefused).toBe(true);
  });

  it('a read-only token (x-access-level: read) is reported by inspect, and its post pauses with X\'s 403', async () => {
    free.setAccessLevel(secrets.accessToken, 'read');
    const ch = on(free);
    expect((await ch.inspect()).access).toEqual({ level: 'read', canPost: false });
    const e = await failure(ch.post(post(42)));
    expect(e).toMatchObject({ errorClass: 'auth', status: 403, code: 'oauth1-permissions', pause: { kind: 'permission' } });
    expect(e.message).toContain('oauth1 app permissions');
    expect(free.posts()).toHaveLength(0);
    for (const s of Object.values(secrets)) expect(JSON.stringify({ ...e, message: e.message })).not.toContain(s);
  });

  it('a suspended account pauses with X\'s 403 user-suspended', async () => {
    free.suspend(secrets.accessToken);
    const e = await failure(on(free).post(post(43)));
    expect(e).toMatchObject({ errorClass: 'auth', code: 'user-suspended', pause: { kind: 'suspended' } });
    expect(free.posts()).toHaveLength(0);
  });

  it('hang-before-commit stores nothing; commit-then-hang stores the post; both time out with an unknown outcome', async () => {
    free.setTier('basic');
    free.hangBeforeCommitNext(1);
    const lost = await failure(on(free, {}, 300).post(post(44)));
    expect(lost).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    expect(free.posts()).toHaveLength(0);
    expect(await on(free).findPostByUrl(post(44).link)).toBeNull();
    free.commitThenHangNext(1);
    const late = await failure(on(free, {}, 300).post(post(45)));
    expect(late).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    expect(free.posts().map((p) => p.text)).toEqual([post(45).text]);
    expect((await on(free).findPostByUrl(post(45).link))?.remoteId).toBe(free.posts()[0]!.id);
  });

  it('with duplicates accepted the same text posts twice (only the ledger keeps a post single)', async () => {
    free.setAcceptDuplicates(true);
    await on(free).post(post(46));
    await on(free).post(post(46));
    expect(free.posts().filter((p) => p.text === post(46).text)).toHaveLength(2);
  });
});
