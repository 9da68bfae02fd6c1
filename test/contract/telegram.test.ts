// SPDX-License-Identifier: EUPL-1.2
/**
 * The Telegram adapter through grammY's real `Api` against the Bot API emulator, and the emulator
 * against the Bot API's documented contract (channels.md 1): what followers see, what the adapter
 * returns, how refusals are classified, and that the bot token never shows in an error.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTelegramEmulator, parseTelegramHtml, type TgEmulator } from '../../src/channels/telegram/emulator.ts';
import { TelegramChannel } from '../../src/channels/telegram/adapter.ts';
import { telegramSchema, type TelegramConfig } from '../../src/channels/telegram/config.ts';
import { ChannelError, POST_DELETE_EXPIRED } from '../../src/channels/channel.ts';

const TOKEN = '7000000001:AAHsecretPART-of_the_token0123456789';
const SECRET = TOKEN.split(':')[1]!;
let emu: TgEmulator;

function channel(over: Partial<TelegramConfig> = {}, timeoutMs = 2000): TelegramChannel {
  const cfg = telegramSchema.parse({ botToken: TOKEN, chat: '@lavoropescara', apiBaseUrl: emu.url, ...over });
  return new TelegramChannel(cfg, { timeoutMs });
}

async function failure(p: Promise<unknown>): Promise<ChannelError> {
  try { await p; } catch (e) { expect(e).toBeInstanceOf(ChannelError); return e as ChannelError; }
  throw new Error('expected a ChannelError');
}

function noToken(e: ChannelError): void {
  expect(e.message).not.toContain(SECRET);
  expect(JSON.stringify(e)).not.toContain(SECRET);
}

const post = (n: number | string, extra = '') => ({ text: `💼 Magazziniere n. ${n}${extra}\n👉 https://lavoro.example.it/offerte/${n}`, link: `https://lavoro.example.it/offerte/${n}` });

async function raw(method: string, body: unknown, token = TOKEN): Promise<{ status: number; json: any }> {
  const res = await fetch(`${emu.url}/bot${token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

beforeEach(async () => {
  emu = await startTelegramEmulator({ bots: [{ token: TOKEN, username: 'cpi_pescara_bot', name: 'CPI Pescara' }], channels: [{ username: 'lavoropescara', title: 'Lavoro Pescara' }], perChat: [{ max: 1000, windowMs: 60_000 }] });
});
afterEach(async () => { await emu.close(); });

describe('Telegram adapter against the emulator', () => {
  it('sends the text HTML-escaped, so followers see exactly the rendered text; returns chat_message id and t.me permalink', async () => {
    const ch = channel();
    const p = post(1, ' — Rossi & Figli <srl> "A&B"');
    const out = await ch.post(p);
    const [m] = emu.messages();
    expect(m!.text).toBe(p.text);
    expect(m!.html).toContain('Rossi &amp; Figli &lt;srl&gt;');
    const chatId = emu.chatIdOf('lavoropescara');
    expect(out.remoteId).toBe(`${chatId}_1`);
    expect(out.permalink).toBe('https://t.me/lavoropescara/1');
    expect(ch.accountKey).toBe('tg-7000000001-@lavoropescara');
    expect(ch.appKey).toBe('tgbot-7000000001');
  });

  it('verify and inspect report the bot, the channel and its rights; a bot that is not an administrator is a problem', async () => {
    const ch = channel();
    expect(await ch.verify()).toEqual({ id: '7000000001', name: 'CPI Pescara', username: 'cpi_pescara_bot' });
    const ok = await ch.inspect();
    expect(ok.notes?.map((n) => [n.key, n.problem])).toEqual([['telegram_check_chat', false], ['telegram_check_admin', false], ['telegram_check_noReads', false]]);
    expect(ok.notes?.[0]?.params).toMatchObject({ title: 'Lavoro Pescara', handle: '@lavoropescara' });
    emu.setMember(TOKEN, '@lavoropescara', { status: 'member' });
    const member = await ch.inspect();
    expect(member.notes?.find((n) => n.problem)).toMatchObject({ key: 'telegram_check_notAdmin', params: { status: 'member' } });
    emu.setMember(TOKEN, '@lavoropescara', { status: 'administrator', canPost: false });
    expect((await ch.inspect()).notes?.find((n) => n.problem)?.key).toBe('telegram_check_cannotPost');
  });

  it('edits in place keeping the history; "message is not modified" is success', async () => {
    const ch = channel();
    const out = await ch.post(post(2));
    const closed = { ...post(2), text: '❌ OFFERTA CHIUSA\n\n' + post(2).text };
    expect(await ch.edit(out.remoteId, closed)).toBe(true);
    expect(await ch.edit(out.remoteId, closed)).toBe(true);
    const [m] = emu.messages();
    expect(m!.text).toBe(closed.text);
    expect(m!.history.map((h) => h.text)).toEqual([post(2).text]);
  });

  it('deletes within 48 hours; later the delete is refused as POST_DELETE_EXPIRED; a message deleted by a person is "gone"', async () => {
    const ch = channel();
    const a = await ch.post(post(3));
    await ch.delete(a.remoteId);
    expect(emu.messages()[0]!.deleted).toBe(true);
    const gone = await failure(ch.edit(a.remoteId, post(3)));
    expect(gone).toMatchObject({ errorClass: 'permanent', gone: true });
    expect(gone.message).toMatch(/message to edit not found/);
    const b = await ch.post(post(4));
    emu.advance(48 * 3_600_000 + 1000);
    const old = await failure(ch.delete(b.remoteId));
    expect(old).toMatchObject({ errorClass: 'permanent', code: POST_DELETE_EXPIRED, gone: false });
    expect(emu.messages()[1]!.deleted).toBe(false);
    expect(await ch.edit(b.remoteId, { ...post(4), text: 'chiusa' })).toBe(true);
  });

  it('429 with retry_after is rate-limited, waiting exactly that long, on this account', async () => {
    emu.setLimits([{ max: 2, windowMs: 60_000 }]);
    const ch = channel();
    await ch.post(post(5));
    await ch.post(post(6));
    const before = Date.now();
    const e = await failure(ch.post(post(7)));
    expect(e.errorClass).toBe('rate-limited');
    expect(e.status).toBe(429);
    expect(e.unknownOutcome).toBe(false);
    expect(e.hints?.scope).toBe('account');
    const retry = emu.requests().at(-1)!.retryAfter!;
    expect(retry).toBeGreaterThanOrEqual(59);
    expect(e.hints!.waitUntil!).toBeGreaterThanOrEqual(before + retry * 1000);
    expect(e.hints!.waitUntil!).toBeLessThan(Date.now() + retry * 1000 + 1000);
    expect(emu.messages()).toHaveLength(2);
  });

  it('a revoked token, a kicked bot and a bot without rights pause the channel (auth) with an Italian reason; chat not found is permanent', async () => {
    const ch = channel();
    emu.revoke(TOKEN);
    const unauthorized = await failure(ch.post(post(8)));
    expect(unauthorized).toMatchObject({ errorClass: 'auth', status: 401, pause: { kind: 'auth' } });
    expect(unauthorized.pause!.reason).toMatch(/BotFather/);
    noToken(unauthorized);
    emu.unrevoke(TOKEN);
    emu.setMember(TOKEN, '@lavoropescara', { status: 'kicked' });
    const kicked = await failure(ch.post(post(8)));
    expect(kicked).toMatchObject({ errorClass: 'auth', status: 403, pause: { kind: 'permission' } });
    expect(kicked.message).toMatch(/bot was kicked/);
    emu.setMember(TOKEN, '@lavoropescara', { status: 'member' });
    const member = await failure(ch.post(post(8)));
    expect(member).toMatchObject({ errorClass: 'auth', pause: { kind: 'permission' } });
    expect(member.message).toMatch(/need administrator rights/);
    expect(member.pause!.reason).toMatch(/amministratore/);
    const missing = await failure(channel({ chat: '@altrocanale' }).post(post(8)));
    expect(missing).toMatchObject({ errorClass: 'permanent', code: 'chat-not-found', gone: false });
    expect(emu.messages()).toHaveLength(0);
  });

  it('a 5xx answer of the Bot API is transient; a gateway page and a dropped connection leave the outcome unknown', async () => {
    const ch = channel();
    emu.failNext(1, { status: 500, description: 'Internal Server Error' });
    expect(await failure(ch.post(post(9)))).toMatchObject({ errorClass: 'transient', unknownOutcome: false });
    emu.failNext(1, { status: 502, body: '<html><body>502 Bad Gateway</body></html>' });
    expect(await failure(ch.post(post(9)))).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    emu.commitThenDropNext(1);
    const dropped = await failure(ch.post(post(9)));
    expect(dropped).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    noToken(dropped);
    expect(emu.messages()).toHaveLength(1);
  });

  it('a hung request is a timeout with an unknown outcome, and the token is in no message', async () => {
    const ch = channel({}, 300);
    emu.commitThenHangNext(1);
    const e = await failure(ch.post(post(10)));
    expect(e).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    noToken(e);
    expect(emu.messages()).toHaveLength(1);
  });

  it('a refused connection is transient and known not to have posted', async () => {
    const url = emu.url;
    await emu.close();
    const cfg = telegramSchema.parse({ botToken: TOKEN, chat: '@lavoropescara', apiBaseUrl: url });
    const e = await failure(new TelegramChannel(cfg, { timeoutMs: 2000 }).post(post(11)));
    expect(e).toMatchObject({ errorClass: 'transient', unknownOutcome: false, code: 'ECONNREFUSED' });
    noToken(e);
    emu = await startTelegramEmulator();
  });

  it('cannot read the channel (findPostByUrl refuses, readRefused)', async () => {
    const e = await failure(channel().findPostByUrl('https://lavoro.example.it/offerte/1'));
    expect(e.readRefused).toBe(true);
  });
});

describe('Bot API emulator contract', () => {
  it('answers the envelope, with HTTP status = error_code; unknown token 401; no method reads the channel', async () => {
    const me = await raw('getMe', {});
    expect(me).toMatchObject({ status: 200, json: { ok: true, result: { id: 7000000001, is_bot: true, username: 'cpi_pescara_bot' } } });
    expect(await raw('getMe', {}, '123:wrong-token-xxxxxxxx')).toEqual({ status: 401, json: { ok: false, error_code: 401, description: 'Unauthorized' } });
    const chat = await raw('getChat', { chat_id: '@lavoropescara' });
    expect(chat.json.result).toMatchObject({ type: 'channel', title: 'Lavoro Pescara', username: 'lavoropescara' });
    expect((await raw('getChat', { chat_id: '@nessuno' })).json).toEqual({ ok: false, error_code: 400, description: 'Bad Request: chat not found' });
    for (const m of ['getUpdates', 'getChatHistory', 'forwardMessage']) expect((await raw(m, { chat_id: '@lavoropescara' })).status).toBe(404);
  });

  it('parses HTML as the Bot API does: entities in UTF-16 offsets, bad tags refused, length counted after parsing', async () => {
    expect(parseTelegramHtml('<b>Ciao</b> 😀 <a href="https://x.it/?a=1&amp;b=2">link</a> &lt;3 &amp; ok')).toEqual({
      text: 'Ciao 😀 link <3 & ok',
      entities: [{ type: 'bold', offset: 0, length: 4 }, { type: 'text_link', offset: 8, length: 4, url: 'https://x.it/?a=1&b=2' }],
    });
    const unsupported = await raw('sendMessage', { chat_id: '@lavoropescara', text: 'Rossi <srl>', parse_mode: 'HTML' });
    expect(unsupported.status).toBe(400);
    expect(unsupported.json.description).toMatch(/^Bad Request: can't parse entities: Unsupported start tag "srl"/);
    expect((await raw('sendMessage', { chat_id: '@lavoropescara', text: '<b>aperto', parse_mode: 'HTML' })).json.description).toMatch(/can't parse entities/);
    // 4096 UTF-16 units after parsing pass (markup and escapes are not counted); one more is too long.
    const fits = await raw('sendMessage', { chat_id: '@lavoropescara', text: `<b>${'&amp;'.repeat(4094)}</b>😀`, parse_mode: 'HTML' });
    expect(fits.status).toBe(200);
    const tooLong = await raw('sendMessage', { chat_id: '@lavoropescara', text: `${'a'.repeat(4095)}😀`, parse_mode: 'HTML' });
    expect(tooLong.json).toEqual({ ok: false, error_code: 400, description: 'Bad Request: message is too long' });
    expect((await raw('sendMessage', { chat_id: '@lavoropescara', text: '  ', parse_mode: 'HTML' })).json.description).toBe('Bad Request: message text is empty');
  });

  it('enforces 1 message a second and 20 a minute per chat by default, with retry_after', async () => {
    await emu.close();
    emu = await startTelegramEmulator({ bots: [{ token: TOKEN, username: 'b' }], channels: [{ username: 'lavoropescara', title: 'L' }] });
    expect((await raw('sendMessage', { chat_id: '@lavoropescara', text: 'uno' })).status).toBe(200);
    const second = await raw('sendMessage', { chat_id: '@lavoropescara', text: 'due' });
    expect(second).toEqual({ status: 429, json: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 1', parameters: { retry_after: 1 } } });
    let t = 0;
    const clocked = await startTelegramEmulator({ bots: [{ token: TOKEN, username: 'b' }], channels: [{ username: 'c', title: 'C' }], now: () => t });
    try {
      const send = async () => (await fetch(`${clocked.url}/bot${TOKEN}/sendMessage`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat_id: '@c', text: 'x' }) })).json() as Promise<any>;
      for (let i = 0; i < 20; i++) { expect((await send()).ok).toBe(true); t += 1000; }
      expect(await send()).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 40 } });
      t += 40_000;
      expect((await send()).ok).toBe(true);
    } finally { await clocked.close(); }
  });
});
