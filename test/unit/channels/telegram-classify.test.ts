// SPDX-License-Identifier: EUPL-1.2
/**
 * The Telegram answer table (classify.ts) on the errors grammY really throws, how a message is measured
 * (4096 UTF-16 units after entity parsing), and what closing does by the post's age.
 */
import { describe, expect, it } from 'vitest';
import { GrammyError, HttpError } from 'grammy';
import { classifyTgError } from '../../../src/channels/telegram/classify.ts';
import { escapeHtml, measureTelegram, TELEGRAM_LIMIT } from '../../../src/channels/telegram/text.ts';
import { telegram } from '../../../src/channels/telegram/index.ts';
import { telegramSchema } from '../../../src/channels/telegram/config.ts';
import { parseTelegramHtml } from '../../../src/channels/telegram/emulator.ts';
import { DeadlineExceeded } from '../../../src/channels/deadline.ts';
import { POST_DELETE_EXPIRED } from '../../../src/channels/channel.ts';
import { makeScrubber } from '../../../src/log/redact.ts';

const api = (error_code: number, description: string, parameters: Record<string, unknown> = {}) =>
  new GrammyError("Call to 'sendMessage' failed!", { ok: false, error_code, description, parameters } as never, 'sendMessage', {});
const net = (inner: Error & { code?: string; type?: string }) => new HttpError("Network request for 'sendMessage' failed!", inner);
const withCode = (message: string, props: Record<string, string>) => Object.assign(new Error(message), props);

describe('Telegram answer table', () => {
  it('429 with retry_after is rate-limited for exactly that long, no attempt spent, outcome known', () => {
    const before = Date.now();
    const e = classifyTgError(api(429, 'Too Many Requests: retry after 2282', { retry_after: 2282 }));
    expect(e.errorClass).toBe('rate-limited');
    expect(e.unknownOutcome).toBe(false);
    expect(e.hints?.scope).toBe('account');
    expect(e.hints!.waitUntil! - before).toBeGreaterThanOrEqual(2282_000);
    expect(e.hints!.waitUntil! - Date.now()).toBeLessThanOrEqual(2282_000);
  });

  it.each([
    [401, 'Unauthorized', 'auth'],
    [403, 'Forbidden: bot was kicked from the channel chat', 'permission'],
    [403, 'Forbidden: bot is not a member of the channel chat', 'permission'],
    [400, 'Bad Request: need administrator rights in the channel chat', 'permission'],
    [400, 'Bad Request: not enough rights to send text messages to the chat', 'permission'],
  ])('%i %s pauses the channel (%s) with an Italian reason', (code, description, kind) => {
    const e = classifyTgError(api(code, description));
    expect(e.errorClass).toBe('auth');
    expect(e.pause?.kind).toBe(kind);
    expect(e.pause?.reason).toMatch(/ riprendi il canale\.$/);
    expect(e.message).toContain(description);
  });

  it('chat not found, parse errors, too long are permanent; a message gone is "gone"; an old one is POST_DELETE_EXPIRED', () => {
    expect(classifyTgError(api(400, 'Bad Request: chat not found'))).toMatchObject({ errorClass: 'permanent', code: 'chat-not-found', gone: false });
    expect(classifyTgError(api(400, "Bad Request: can't parse entities: Unsupported start tag \"x\" at byte offset 3"))).toMatchObject({ errorClass: 'permanent', gone: false });
    expect(classifyTgError(api(400, 'Bad Request: message is too long'))).toMatchObject({ errorClass: 'permanent' });
    expect(classifyTgError(api(400, 'Bad Request: message to edit not found'))).toMatchObject({ errorClass: 'permanent', gone: true });
    expect(classifyTgError(api(400, 'Bad Request: message to delete not found'))).toMatchObject({ errorClass: 'permanent', gone: true });
    expect(classifyTgError(api(400, "Bad Request: message can't be deleted"))).toMatchObject({ errorClass: 'permanent', code: POST_DELETE_EXPIRED });
  });

  it('5xx of the Bot API is transient and did not post; network errors after sending, a gateway page and timeouts leave the outcome unknown', () => {
    expect(classifyTgError(api(500, 'Internal Server Error'))).toMatchObject({ errorClass: 'transient', unknownOutcome: false });
    expect(classifyTgError(net(withCode('socket hang up', { code: 'ECONNRESET' })))).toMatchObject({ errorClass: 'transient', unknownOutcome: true, code: 'ECONNRESET' });
    expect(classifyTgError(net(withCode('connect ECONNREFUSED', { code: 'ECONNREFUSED' })))).toMatchObject({ errorClass: 'transient', unknownOutcome: false });
    expect(classifyTgError(net(withCode('invalid json response body', { type: 'invalid-json' })))).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    expect(classifyTgError(net(new Error("Request to 'sendMessage' timed out after 11 seconds")))).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    expect(classifyTgError(new DeadlineExceeded(1000, 'Telegram sendMessage'))).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    // A read changes nothing: never in doubt.
    expect(classifyTgError(new DeadlineExceeded(1000, 'Telegram getMe'), (s) => s, 'read').unknownOutcome).toBe(false);
  });

  it('never carries the token: the socket error (whose message holds the URL) is not copied, and the scrubber runs', () => {
    const token = '7000000001:AAHsecretPART0123456789';
    const e = classifyTgError(net(withCode(`request to http://127.0.0.1:9/bot${token}/sendMessage failed, reason: socket hang up`, { code: 'ECONNRESET' })), (s) => s.split(token).join('[redacted]'));
    expect(e.message).not.toContain('AAHsecret');
    const odd = classifyTgError(new Error(`boom /bot${token}/x`), (s) => s.split(token).join('[redacted]'));
    expect(odd.message).not.toContain('AAHsecret');
  });
});

describe('bot tokens in logs', () => {
  it('a token in a Bot API path is scrubbed by its shape even when the config did not list it', () => {
    const scrub = makeScrubber([]);
    expect(scrub('request to https://api.telegram.org/bot123456789:AAHdef-ghi_JKL0123/sendMessage failed')).toBe('request to https://api.telegram.org/bot123456789:[redacted]/sendMessage failed');
    expect(scrub({ url: 'http://127.0.0.1:4040/bot1:abcdefgh/getMe' })).toEqual({ url: 'http://127.0.0.1:4040/bot1:[redacted]/getMe' });
    expect(scrub('/robots.txt and a bot:name')).toBe('/robots.txt and a bot:name');
  });
});

describe('Telegram message length', () => {
  it('counts UTF-16 units of the text as followers see it, trimmed, up to 4096; escaping does not count', () => {
    expect(TELEGRAM_LIMIT).toBe(4096);
    expect(measureTelegram('a'.repeat(4096))).toEqual({ length: 4096, valid: true });
    expect(measureTelegram('a'.repeat(4097))).toEqual({ length: 4097, valid: false });
    // An astral character is two units.
    expect(measureTelegram('😀'.repeat(2048))).toEqual({ length: 4096, valid: true });
    expect(measureTelegram('😀'.repeat(2049)).valid).toBe(false);
    expect(measureTelegram(`  ${'b'.repeat(4096)}\n\n`).valid).toBe(true);
    expect(measureTelegram('   ').valid).toBe(false);
    const text = 'Rossi & Figli <srl> '.repeat(200);
    expect(parseTelegramHtml(escapeHtml(text)).text).toBe(text);
    expect(measureTelegram(text).length).toBe(text.trim().length);
  });
});

describe('Telegram definition', () => {
  const cfg = (closeAction: 'edit' | 'delete') => telegramSchema.parse({ botToken: '1:abcdefghij', chat: '@canale', closeAction });
  it('closes by delete only within 48 hours of the post (with a margin), else by edit', () => {
    const now = Date.UTC(2026, 11, 1);
    expect(telegram.closeAction(cfg('delete'), { postedAt: now - 3_600_000, now })).toBe('delete');
    expect(telegram.closeAction(cfg('delete'), { postedAt: now - 47.9 * 3_600_000, now })).toBe('edit');
    expect(telegram.closeAction(cfg('delete'), { now })).toBe('edit');
    expect(telegram.closeAction(cfg('edit'), { postedAt: now, now })).toBe('edit');
  });

  it('defaults: 20 a minute and 1 a second, the public Bot API, closing by edit, reconciliation left to the operator', () => {
    const c = telegramSchema.parse({ botToken: '123456:ABCdef-ghi_jkl', chat: -1001234567890 });
    expect(c).toMatchObject({ apiBaseUrl: 'https://api.telegram.org', chat: '-1001234567890', limits: [{ max: 20, per: 60_000 }, { max: 1, per: 1000 }], closeAction: 'edit', reconcile: 'operator' });
    expect(telegramSchema.safeParse({ botToken: '', chat: '@canale' }).success).toBe(false);
    expect(telegramSchema.safeParse({ botToken: '1:abcdefghij', chat: 'canale' }).success).toBe(false);
    expect(telegramSchema.safeParse({ botToken: '1:abcdefghij', chat: '@canale', extra: 1 }).success).toBe(false);
    expect(telegram.readsPosts).toBe('never');
    expect(telegram.resendDetectsDuplicates).toBe(false);
  });
});
