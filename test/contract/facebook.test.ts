// SPDX-License-Identifier: EUPL-1.2
/**
 * The Facebook adapter through the real facebook-nodejs-business-sdk against the Graph emulator: what
 * gets stored, what the adapter returns, how failures are classified, and that the token never leaks.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startGraphEmulator, graphError, type GraphEmulator } from '../../src/channels/facebook/emulator.ts';
import { FacebookChannel } from '../../src/channels/facebook/adapter.ts';
import { ChannelError } from '../../src/channels/channel.ts';
import type { FacebookConfig } from '../../src/config/schema.ts';

const PAGE = '1234567890';
const TOKEN = 'EAAGpagetokenSECRET0123456789';
let emu: GraphEmulator;

function channel(over: Partial<FacebookConfig> = {}, timeoutMs = 2000): FacebookChannel {
  const cfg = { graphBaseUrl: emu.url, pageId: PAGE, pageAccessToken: TOKEN, limits: [], attempts: 3, backoff: { initial: 1000, factor: 2, max: 10_000 }, closeAction: 'edit', hashtags: [], ...over } as FacebookConfig;
  return new FacebookChannel(cfg, { timeoutMs });
}

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  try { await p; } catch (e) { expect(e).toBeInstanceOf(ChannelError); return e as ChannelError; }
  throw new Error('expected a ChannelError');
}

const post = (n: number | string) => ({ text: `Offerta ${n}: magazziniere a Pescara`, link: `https://lavoro.example.it/offerte/${n}` });

beforeEach(async () => { emu = await startGraphEmulator({ pages: [{ id: PAGE, name: 'CPI Pescara', token: TOKEN }] }); });
afterEach(async () => { await emu.close(); });

describe('Facebook adapter against the emulator', () => {
  it('publishes message and link and returns the post id and permalink', async () => {
    const ch = channel();
    const out = await ch.post(post(1));
    const stored = emu.posts();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ pageId: PAGE, message: post(1).text, link: post(1).link, deleted: false });
    expect(out.remoteId).toBe(stored[0]!.id);
    expect(out.remoteId).toMatch(new RegExp(`^${PAGE}_\\d+$`));
    expect(out.permalink).toBe(`https://www.facebook.com/${out.remoteId}`);
    expect(ch.accountKey).toBe(`fb-${PAGE}`);
    expect(ch.appKey).toBe(`fbapp-page-${PAGE}`);
    expect(channel({ appId: '42' }).appKey).toBe('fbapp-42');
  });

  it('verify answers the Page behind the token', async () => {
    expect(await channel().verify()).toEqual({ id: PAGE, name: 'CPI Pescara' });
  });

  it('edits in place and deletes', async () => {
    const ch = channel();
    const out = await ch.post(post(2));
    expect(await ch.edit(out.remoteId, { ...post(2), text: 'CHIUSA — ' + post(2).text })).toBe(true);
    let stored = emu.posts()[0]!;
    expect(stored.message).toBe('CHIUSA — ' + post(2).text);
    expect(stored.history.map((h) => h.message)).toEqual([post(2).text]);
    await ch.delete(out.remoteId);
    stored = emu.posts()[0]!;
    expect(stored.deleted).toBe(true);
    const e = await failure(ch.edit(out.remoteId, post(2)));
    expect(e.errorClass).toBe('permanent');
    expect(e.code).toBe('#100/33');
  });

  it('classifies the same message twice in a row as duplicate', async () => {
    const ch = channel();
    await ch.post(post(3));
    const e = await failure(ch.post(post(3)));
    expect(e.errorClass).toBe('duplicate');
    expect(emu.posts()).toHaveLength(1);
  });

  it('classifies a revoked token (190) as auth and never shows the token', async () => {
    emu.revoke(TOKEN, 460);
    const e = await failure(channel().post(post(4)));
    expect(e.errorClass).toBe('auth');
    expect(e.code).toBe('#190/460');
    const everything = [e.message, e.stack ?? '', JSON.stringify(e), JSON.stringify({ ...e }), String(e)].join('\n');
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain('access_token=');
  });

  it('no token appears when Facebook echoes the URL back in its message', async () => {
    emu.failNext(1, { status: 400, body: graphError(100, `(#100) Invalid parameter in ${emu.url}/v24.0/${PAGE}/feed?access_token=${TOKEN}`) });
    const e = await failure(channel().post(post(5)));
    expect(e.errorClass).toBe('permanent');
    expect(JSON.stringify({ ...e, message: e.message, stack: e.stack })).not.toContain(TOKEN);
  });

  it('classifies 80001 as rate-limited with waitUntil from estimated_time_to_regain_access (minutes)', async () => {
    emu.setLimits({ perPage: [{ max: 1, windowMs: 3_600_000 }] });
    const ch = channel();
    const first = await ch.post(post(6));
    expect(first.hints?.usagePercent).toBe(100);
    const before = Date.now();
    const e = await failure(ch.post(post(7)));
    expect(e.errorClass).toBe('rate-limited');
    expect(e.hints?.scope).toBe('account');
    // The window resets an hour after it opened: about 60 minutes to regain access.
    expect(e.hints!.waitUntil!).toBeGreaterThanOrEqual(before + 59 * 60_000);
    expect(e.hints!.waitUntil!).toBeLessThanOrEqual(Date.now() + 61 * 60_000);
  });

  it('classifies code 4 as rate-limited for the whole app', async () => {
    emu.setLimits({ perApp: [{ max: 1, windowMs: 3_600_000 }] });
    const ch = channel();
    await ch.post(post(8));
    const e = await failure(ch.post(post(9)));
    expect(e.errorClass).toBe('rate-limited');
    expect(e.hints?.scope).toBe('app');
    expect(e.hints?.waitUntil).toBeGreaterThan(Date.now());
  });

  it('turns usage headers on a success into hints', async () => {
    emu.setUsage(PAGE, { call_count: 100, estimated_time_to_regain_access: 7 });
    const before = Date.now();
    const out = await channel().post(post(10));
    expect(out.hints?.usagePercent).toBe(100);
    expect(out.hints!.waitUntil!).toBeGreaterThanOrEqual(before + 7 * 60_000);
  });

  it('classifies code 2, 503 JSON and an HTML 502 as transient, to be reconciled (a gateway error may follow a commit)', async () => {
    const ch = channel();
    emu.failNext(1, { status: 500, body: graphError(2, 'An unexpected error has occurred. Please retry your request later.', { transient: true }) });
    emu.failNext(1, { status: 503, body: { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2 } } });
    emu.failNext(1, { status: 502, body: '<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>', contentType: 'text/html' });
    for (let i = 0; i < 3; i++) {
      const e = await failure(ch.post(post(11)));
      expect(e.errorClass).toBe('transient');
      expect(e.unknownOutcome).toBe(true);
    }
    expect(emu.posts()).toHaveLength(0);
  });

  it('a policy block (#368, Facebook\'s own body) pauses the channel (kind blocked), never a retry or a failure', async () => {
    emu.failNext(1, { status: 400, code: 368 });
    const e = await failure(channel().post(post(12)));
    expect(e).toMatchObject({ errorClass: 'auth', code: '#368/1390008', unknownOutcome: false, pause: { kind: 'blocked' } });
    expect(e.message).toContain('temporarily blocked');
    expect(e.pause?.reason).toMatch(/bloccato temporaneamente/);
    // While the Page is blocked every publish and edit is refused; reads still work; then it lifts.
    const ch = channel();
    const out = await ch.post(post(19));
    emu.setBlocked(PAGE, true);
    expect((await failure(ch.post(post(20)))).pause?.kind).toBe('blocked');
    expect((await failure(ch.edit(out.remoteId, post(19)))).pause?.kind).toBe('blocked');
    expect(await ch.findPostByUrl(post(19).link)).not.toBeNull();
    emu.setBlocked(PAGE, false);
    await ch.post(post(20));
    expect(emu.posts().map((p) => p.link)).toEqual([post(19).link, post(20).link]);
  });

  it('commit-then-drop is transient with unknown outcome, and findPostByUrl finds the committed post', async () => {
    const ch = channel();
    emu.dropNext(1);
    const e = await failure(ch.post(post(13)));
    expect(e.errorClass).toBe('transient');
    expect(e.unknownOutcome).toBe(true);
    const found = await ch.findPostByUrl(post(13).link + '/');
    expect(found).toEqual({ remoteId: emu.posts()[0]!.id, permalink: `https://www.facebook.com/${emu.posts()[0]!.id}` });
  });

  it('a hung answer times out as transient with unknown outcome', async () => {
    emu.hangNext(1);
    const e = await failure(channel({}, 300).post(post(14)));
    expect(e.errorClass).toBe('transient');
    expect(e.unknownOutcome).toBe(true);
  });

  it('findPostByUrl returns null when absent and throws ChannelError when it cannot read', async () => {
    const ch = channel();
    expect(await ch.findPostByUrl(post(15).link)).toBeNull();
    await ch.post(post(16));
    expect(await ch.findPostByUrl(post(15).link)).toBeNull();
    emu.failNext(1, { status: 500, body: graphError(1, 'An unknown error occurred'), match: 'any' });
    const e = await failure(ch.findPostByUrl(post(16).link));
    expect(e.errorClass).toBe('transient');
  });

  it('findPostByUrl matches whole URLs only: offer 123 is not offer 1234', async () => {
    const ch = channel();
    // A post whose message (not its link card) carries the longer URL, as the default template writes it.
    await ch.post({ text: `Offerta 1234. Per candidarsi: ${post(1234).link}`, link: 'https://lavoro.example.it/' });
    expect(await ch.findPostByUrl(post(123).link)).toBeNull();
    const own = await ch.post({ text: `Offerta 123. Per candidarsi: ${post(123).link}.`, link: 'https://lavoro.example.it/elenco' });
    expect((await ch.findPostByUrl(post(123).link))?.remoteId).toBe(own.remoteId);
  });

  it('two channels with different Graph base URLs in one process each reach their own', async () => {
    const other = await startGraphEmulator();
    try {
      await channel().post(post(17));
      await channel({ graphBaseUrl: other.url }).post(post(18));
      expect(emu.posts().map((p) => p.link)).toEqual([post(17).link]);
      expect(other.posts().map((p) => p.link)).toEqual([post(18).link]);
    } finally {
      await other.close();
    }
  });
});

describe('Facebook reconciliation window', () => {
  it('findPostByUrl with sinceMs sees posts from then on and not older ones', async () => {
    const ch = channel();
    await ch.post(post(30));
    expect(await ch.findPostByUrl(post(30).link, { sinceMs: Date.now() - 60_000 })).not.toBeNull();
    expect(await ch.findPostByUrl(post(30).link, { sinceMs: Date.now() + 60_000 })).toBeNull();
  });
});

describe('Facebook reconciliation depth', () => {
  it('findPostByUrl looks past the first page of 100 posts', async () => {
    const ch = channel();
    for (let i = 0; i < 130; i++) await ch.post(post(`deep-${i}`));
    const found = await ch.findPostByUrl(post('deep-0').link);
    expect(found?.remoteId).toBe(emu.posts()[0]!.id);
  });
});

describe("Graph's real modes through the SDK", () => {
  it('inspect: a Page token answers its Page; a user token or another Page\'s token is a mismatch naming pageId', async () => {
    expect(await channel().inspect()).toEqual({ identity: { id: PAGE, name: 'CPI Pescara' } });
    emu.addUser({ id: '555000111', name: 'Mario Rossi', token: 'EAAuserTOKEN' });
    const user = await channel({ pageAccessToken: 'EAAuserTOKEN' }).inspect();
    expect(user.mismatch).toEqual({ key: 'pageId', configured: PAGE, found: '555000111', foundName: 'Mario Rossi' });
    // A user token cannot publish as the Page (#200), which pauses like any refused permission.
    expect((await failure(channel({ pageAccessToken: 'EAAuserTOKEN' }).post(post(50)))).errorClass).toBe('auth');
    emu.addPage({ id: '999', name: 'Altra Pagina', token: 'EAAotherPAGE' });
    expect((await channel({ pageAccessToken: 'EAAotherPAGE' }).inspect()).mismatch).toMatchObject({ key: 'pageId', found: '999' });
  });

  it('hang-before-commit stores nothing; commit-then-hang stores the post; both time out with an unknown outcome', async () => {
    emu.hangBeforeCommitNext(1);
    expect(await failure(channel({}, 300).post(post(51)))).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    expect(emu.posts()).toHaveLength(0);
    emu.commitThenHangNext(1);
    expect(await failure(channel({}, 300).post(post(52)))).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    expect((await channel().findPostByUrl(post(52).link))?.remoteId).toBe(emu.posts()[0]!.id);
  });

  it('with duplicates accepted the same message posts twice in a row', async () => {
    emu.setAcceptDuplicates(true);
    await channel().post(post(53));
    await channel().post(post(53));
    expect(emu.posts()).toHaveLength(2);
  });
});
