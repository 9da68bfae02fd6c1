// SPDX-License-Identifier: EUPL-1.2
/**
 * The X classification table, row by row, with the SDK's own error classes built as the SDK builds them.
 */
import { describe, expect, it } from 'vitest';
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { classifyXError, xLimitHints } from '../../../src/channels/twitter/classify.ts';
import { DeadlineExceeded } from '../../../src/channels/deadline.ts';

const NOW_S = Math.floor(Date.now() / 1000);

function answer(code: number, data: unknown, rateLimit?: Record<string, unknown>): ApiResponseError {
  return new ApiResponseError(`Request failed with code ${code}`, { code, data, headers: {}, rateLimit, request: undefined, response: undefined } as never);
}

function network(code: string, message: string): ApiRequestError {
  return new ApiRequestError('Request failed.', { request: undefined, error: Object.assign(new Error(message), { code }) } as never);
}

describe('classifyXError', () => {
  it.each([
    ['401', answer(401, { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' }), 'auth'],
    ['403 duplicate', answer(403, { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 }), 'duplicate'],
    ['403 other', answer(403, { detail: 'You are not permitted to perform this action.', type: 'about:blank', title: 'Forbidden', status: 403 }), 'permanent'],
    ['429 usage cap', answer(429, { title: 'UsageCapExceeded', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.twitter.com/2/problems/usage-capped' }, { limit: 100, remaining: 80, reset: NOW_S + 60 }), 'usage-capped'],
    ['429', answer(429, { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 }, { limit: 100, remaining: 0, reset: NOW_S + 60 }), 'rate-limited'],
    ['400', answer(400, { errors: [{ parameters: {}, message: 'text too long' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' }), 'permanent'],
    ['404', answer(404, { title: 'Not Found Error' }), 'permanent'],
    ['500', answer(500, 'oops'), 'transient'],
    ['503', answer(503, { title: 'Service Unavailable' }), 'transient'],
    ['refused', network('ECONNREFUSED', 'connect ECONNREFUSED'), 'transient'],
    ['reset', network('ECONNRESET', 'socket hang up'), 'transient'],
    ['deadline', new DeadlineExceeded(20_000, 'X post'), 'transient'],
    ['a bug', new TypeError('x is undefined'), 'transient'],
  ])('%s → %s', (_name, err, cls) => {
    expect(classifyXError(err).errorClass).toBe(cls);
  });

  it('403s that pause: a read-only token, a suspended account, an app without the access level for a write', () => {
    const readOnly = classifyXError(answer(403, { title: 'Forbidden', status: 403, detail: 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.', type: 'https://api.twitter.com/2/problems/oauth1-permissions' }));
    expect(readOnly).toMatchObject({ errorClass: 'auth', pause: { kind: 'permission' } });
    expect(readOnly.pause?.reason).toMatch(/solo il permesso di lettura/);
    const suspended = classifyXError(answer(403, { detail: 'The user used for authentication is suspended', title: 'Forbidden', status: 403, type: 'https://api.twitter.com/2/problems/user-suspended' }));
    expect(suspended).toMatchObject({ errorClass: 'auth', pause: { kind: 'suspended' } });
    const notEnrolled = { title: 'Client Forbidden', reason: 'client-not-enrolled', type: 'https://api.twitter.com/2/problems/client-forbidden', detail: 'When authenticating requests…' };
    expect(classifyXError(answer(403, notEnrolled))).toMatchObject({ errorClass: 'auth', pause: { kind: 'permission' }, readRefused: false });
    // The same answer to a read says only that this tier cannot read: no pause, reconciliation resends.
    const read = classifyXError(answer(403, notEnrolled), undefined, 'read');
    expect(read).toMatchObject({ errorClass: 'permanent', readRefused: true, code: 'client-not-enrolled' });
    expect(read.pause).toBeUndefined();
  });

  it('keeps the network\'s own words as the message, including the parameter errors', () => {
    const e = classifyXError(answer(400, { errors: [{ message: 'text: too long' }], detail: 'One or more parameters to your request was invalid.' }));
    expect(e.message).toContain('One or more parameters to your request was invalid.');
    expect(e.message).toContain('text: too long');
    expect(e.status).toBe(400);
  });

  it('marks unknown outcome whenever the request may have reached X (a 5xx may follow a commit)', () => {
    expect(classifyXError(network('ECONNREFUSED', 'connect ECONNREFUSED')).unknownOutcome).toBe(false);
    expect(classifyXError(network('ECONNRESET', 'socket hang up')).unknownOutcome).toBe(true);
    expect(classifyXError(new DeadlineExceeded(1, 'X post')).unknownOutcome).toBe(true);
    expect(classifyXError(new ApiRequestError('Request failed.', { request: undefined, error: new Error('Request timeout.') } as never)).unknownOutcome).toBe(true);
    expect(classifyXError(new ApiPartialResponseError('cut', { request: undefined, response: undefined, responseError: new Error('aborted'), rawContent: '{"da' } as never)).unknownOutcome).toBe(true);
    expect(classifyXError(answer(503, {})).unknownOutcome).toBe(true);
    expect(classifyXError(answer(400, {})).unknownOutcome).toBe(false);
  });

  it('429: waits for x-rate-limit-reset (seconds → ms)', () => {
    const e = classifyXError(answer(429, { title: 'Too Many Requests' }, { limit: 100, remaining: 0, reset: NOW_S + 600 }));
    expect(e.hints).toMatchObject({ waitUntil: (NOW_S + 600) * 1000, scope: 'account' });
  });

  it('429: the 24h user reset when the daily user window is spent', () => {
    const e = classifyXError(answer(429, {}, { limit: 100, remaining: 90, reset: NOW_S + 600, userDay: { limit: 17, remaining: 0, reset: NOW_S + 80_000 } }));
    expect(e.hints).toMatchObject({ waitUntil: (NOW_S + 80_000) * 1000, scope: 'account' });
  });

  it('429: scope app when the app-wide daily window is spent', () => {
    const e = classifyXError(answer(429, {}, { limit: 100, remaining: 90, reset: NOW_S + 600, day: { limit: 1667, remaining: 0, reset: NOW_S + 50_000 }, userDay: { limit: 100, remaining: 5, reset: NOW_S + 40_000 } }));
    expect(e.hints).toMatchObject({ waitUntil: (NOW_S + 50_000) * 1000, scope: 'app' });
  });

  it('429 with no headers still waits', () => {
    const e = classifyXError(answer(429, {}));
    expect(e.hints?.waitUntil).toBeGreaterThan(Date.now());
  });

  it('scrubs secrets from the message', () => {
    const e = classifyXError(answer(400, { detail: 'bad token sekret-token-123' }), (s) => s.replaceAll('sekret-token-123', '[redacted]'));
    expect(e.message).not.toContain('sekret-token-123');
  });
});

describe('xLimitHints on a success', () => {
  it('says nothing to wait for while the window has room', () => {
    expect(xLimitHints({ limit: 100, remaining: 5, reset: NOW_S + 60 })).toEqual({ limit: 100, remaining: 5, resetAt: (NOW_S + 60) * 1000 });
  });
  it('waits for the reset when remaining reaches 0', () => {
    expect(xLimitHints({ limit: 100, remaining: 0, reset: NOW_S + 60 })?.waitUntil).toBe((NOW_S + 60) * 1000);
  });
  it('is undefined without rate-limit headers', () => {
    expect(xLimitHints(undefined)).toBeUndefined();
  });
});
