// SPDX-License-Identifier: EUPL-1.2
/**
 * The Facebook classification table, row by row. The SDK's FacebookRequestError is not exported, so the
 * errors here have its shape (name, status, response = the inner Graph `error`, headers, method, url);
 * the contract tests drive the real SDK.
 */
import { describe, expect, it } from 'vitest';
import { classifyFbError } from '../../../src/channels/facebook/classify.ts';
import { fbUsageHints, DEFAULT_FB_BACKOFF_MS } from '../../../src/channels/facebook/usage.ts';
import { DeadlineExceeded } from '../../../src/channels/deadline.ts';

const TOKEN = 'EAAsecretPageToken42';

function graphFailure(code: number | undefined, opts: { status?: number; subcode?: number; headers?: Record<string, string>; method?: string; transient?: boolean } = {}): Error {
  const e = new Error(`(#${code}) something`);
  e.name = 'FacebookRequestError';
  return Object.assign(e, {
    status: opts.status ?? 400,
    response: code === undefined ? { message: 'no code' } : { message: `(#${code}) something`, type: 'OAuthException', code, error_subcode: opts.subcode, is_transient: opts.transient, fbtrace_id: 'abc' },
    headers: opts.headers ?? {},
    method: opts.method ?? 'POST',
    url: `https://graph.facebook.com/v24.0/1/feed?access_token=${TOKEN}`,
  });
}

function noResponse(method: string): Error {
  const e = new Error('The request was made but no response was received');
  e.name = 'FacebookRequestError';
  return Object.assign(e, { status: null, response: null, headers: null, method, url: `x?access_token=${TOKEN}` });
}

describe('classifyFbError', () => {
  it.each([
    [1, 'transient'], [2, 'transient'],
    [4, 'rate-limited'], [17, 'rate-limited'], [32, 'rate-limited'], [613, 'rate-limited'], [80001, 'rate-limited'],
    [190, 'auth'], [10, 'auth'], [200, 'auth'], [230, 'auth'], [299, 'auth'],
    [506, 'duplicate'],
    [368, 'auth'], [100, 'permanent'], [1609005, 'permanent'], [300, 'permanent'],
  ])('code %i → %s', (code, cls) => {
    expect(classifyFbError(graphFailure(code)).errorClass).toBe(cls);
  });

  it('368 (temporarily blocked) pauses with its own kind and an Italian reason, even when Graph flags it transient', () => {
    const e = classifyFbError(graphFailure(368, { subcode: 1390008, transient: true }));
    expect(e.errorClass).toBe('auth');
    expect(e.pause?.kind).toBe('blocked');
    expect(e.pause?.reason).toMatch(/bloccato temporaneamente/);
    expect(classifyFbError(graphFailure(190)).pause?.kind).toBe('auth');
  });

  it('keys on the code, not the HTTP status', () => {
    expect(classifyFbError(graphFailure(190, { status: 500 })).errorClass).toBe('auth');
    expect(classifyFbError(graphFailure(200, { status: 403 })).errorClass).toBe('auth');
    expect(classifyFbError(graphFailure(2, { status: 400 })).errorClass).toBe('transient');
  });

  it('190 with any subcode is auth, and says which', () => {
    for (const sub of [458, 460, 463, 467]) {
      const e = classifyFbError(graphFailure(190, { subcode: sub }));
      expect(e.errorClass).toBe('auth');
      expect(e.code).toBe(`#190/${sub}`);
    }
  });

  it('80001 waits estimated_time_to_regain_access minutes', () => {
    const before = Date.now();
    const e = classifyFbError(graphFailure(80001, { headers: { 'x-business-use-case-usage': JSON.stringify({ 1: [{ type: 'pages', call_count: 100, total_cputime: 3, total_time: 4, estimated_time_to_regain_access: 19 }] }) } }));
    expect(e.hints?.scope).toBe('account');
    expect(e.hints?.usagePercent).toBe(100);
    expect(e.hints!.waitUntil!).toBeGreaterThanOrEqual(before + 19 * 60_000);
    expect(e.hints!.waitUntil!).toBeLessThanOrEqual(Date.now() + 19 * 60_000);
  });

  it('throttles without usage headers wait the default backoff; code 4 is app-wide', () => {
    const before = Date.now();
    const e = classifyFbError(graphFailure(17));
    expect(e.hints!.waitUntil!).toBeGreaterThanOrEqual(before + DEFAULT_FB_BACKOFF_MS);
    expect(classifyFbError(graphFailure(4)).hints?.scope).toBe('app');
  });

  it('an HTML body (SyntaxError from the SDK) and a missing response are transient', () => {
    expect(classifyFbError(new SyntaxError('Unexpected token < in JSON')).errorClass).toBe('transient');
    expect(classifyFbError(new SyntaxError('Unexpected token <')).unknownOutcome).toBe(true);
    expect(classifyFbError(noResponse('POST'))).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
    expect(classifyFbError(noResponse('GET'))).toMatchObject({ errorClass: 'transient', unknownOutcome: false });
    expect(classifyFbError(graphFailure(undefined, { status: 503 })).errorClass).toBe('transient');
  });

  it('a deadline is transient with unknown outcome', () => {
    expect(classifyFbError(new DeadlineExceeded(20_000, 'Facebook publish'))).toMatchObject({ errorClass: 'transient', unknownOutcome: true });
  });

  it('never carries the token: not in message, fields or JSON', () => {
    const e = classifyFbError(graphFailure(190), (s) => s.replaceAll(TOKEN, '[redacted]'));
    expect(JSON.stringify({ ...e, message: e.message, stack: e.stack })).not.toContain(TOKEN);
    expect(classifyFbError(noResponse('POST')).message).not.toContain(TOKEN);
  });
});

describe('fbUsageHints', () => {
  it('takes the highest percentage of BUC and app usage', () => {
    expect(fbUsageHints({ 'x-business-use-case-usage': JSON.stringify({ 1: [{ type: 'pages', call_count: 12, total_cputime: 40, total_time: 7, estimated_time_to_regain_access: 0 }] }), 'x-app-usage': '{"call_count":28,"total_time":25,"total_cputime":25}' }))
      .toEqual({ usagePercent: 40 });
  });
  it('waits when a value reaches 100, app-wide when it is the app usage', () => {
    expect(fbUsageHints({ 'x-app-usage': '{"call_count":100,"total_time":25,"total_cputime":25}' })?.scope).toBe('app');
    expect(fbUsageHints({ 'x-business-use-case-usage': JSON.stringify({ 1: [{ call_count: 100 }] }) })?.scope).toBe('account');
  });
  it('ignores missing or broken headers', () => {
    expect(fbUsageHints({})).toBeUndefined();
    expect(fbUsageHints({ 'x-app-usage': 'not json' })).toBeUndefined();
    expect(fbUsageHints(undefined)).toBeUndefined();
  });
});
