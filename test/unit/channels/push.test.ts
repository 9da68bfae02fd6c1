// SPDX-License-Identifier: EUPL-1.2
/** The app's notifications, piece by piece: what a notification says, its Topic, the answer table, strict input, the config. */
import { describe, it, expect } from 'vitest';
import webpush from 'web-push';
import { noticeOf, payloadFor, topicFor, type NoticeWords } from '../../../src/channels/push/notice.ts';
import { classifyPushAnswer, retryAfterMs, DEFAULT_RETRY_AFTER_MS } from '../../../src/channels/push/classify.ts';
import { subscribeSchema, unsubscribeSchema } from '../../../src/channels/push/validate.ts';
import { pushSchema } from '../../../src/channels/push/config.ts';
import { matches } from '../../../src/channels/audience/preferences.ts';
import { parseConfig } from '../../../src/config/load.ts';
import { readEnvironment } from '../../../src/config/env.ts';
import type { JobOffer } from '../../../src/domain/offer.ts';

const words: NoticeWords = { deadline: (d) => `scade il ${d}`, many: (n) => `${n} nuove offerte per te`, more: (n) => `e altre ${n}` };
const offer = (o: Partial<JobOffer> = {}): JobOffer => ({
  publisherId: 'pescara', sourceId: 's1', key: 'k1', url: 'https://lavoro.example.it/o/1', title: 'Cuoco/a capo partita',
  text: 'Inviare il CV a mario.rossi@example.com o chiamare 333 1234567', location: 'Pescara', province: 'PE', contract: 'Tempo determinato stagionale',
  validThrough: '2026-12-15T22:59:59.999Z', ...o,
} as JobOffer);
const VAPID = webpush.generateVAPIDKeys();

describe('what a notification says', () => {
  it('one offer: its title, place, contract and deadline (in the publisher\'s zone), its link; never its text', () => {
    const n = noticeOf(offer(), 'Europe/Rome', words, 1);
    const p = payloadFor([n], 'https://x.example/app/pescara/', words);
    expect(p).toEqual({ title: 'Cuoco/a capo partita', body: 'Pescara (PE) · Tempo determinato stagionale · scade il 15/12/2026', url: 'https://lavoro.example.it/o/1' });
    expect(JSON.stringify(p)).not.toMatch(/@|333/);
  });

  it('several offers: one notification that counts them, newest first, and opens the app', () => {
    const ns = [1, 2, 3, 4, 5].map((i) => noticeOf(offer({ key: `k${i}`, title: `Offerta ${i}` }), 'Europe/Rome', words, i));
    const p = payloadFor(ns, 'https://x.example/app/pescara/', words);
    expect(p).toEqual({ title: '5 nuove offerte per te', body: 'Offerta 5 · Offerta 4 · Offerta 3 e altre 2', url: 'https://x.example/app/pescara/' });
  });

  it('a very long title is cut to fit a phone, and the encrypted payload stays far below 4 KB', () => {
    const n = noticeOf(offer({ title: 'A'.repeat(5000), contract: 'B'.repeat(5000) }), 'Europe/Rome', words, 1);
    expect(n.title.length).toBeLessThanOrEqual(120);
    expect(JSON.stringify(payloadFor([n], '/app/pescara/', words)).length).toBeLessThan(1000);
  });

  it('the Topic is at most 32 base64url characters, the same for every notification of a publisher, another for another', () => {
    expect(topicFor('pescara')).toMatch(/^[A-Za-z0-9_-]{1,32}$/);
    expect(topicFor('pescara')).toBe(topicFor('pescara'));
    expect(topicFor('chieti')).not.toBe(topicFor('pescara'));
  });

  it('matching uses the followers\' shared preferences', () => {
    expect(matches(offer(), { places: ['pescara'], contracts: ['stagionale'], words: [] })).toBe(true);
    expect(matches(offer(), { places: ['PE'], contracts: [], words: ['cuoco'] })).toBe(true);
    expect(matches(offer(), { places: ['Penne'], contracts: [], words: [] })).toBe(false);
    expect(matches(offer(), { places: [], contracts: ['apprendistato'], words: [] })).toBe(false);
  });
});

describe('the push service\'s answers', () => {
  const now = 1_000_000;
  it('reads them as RFC 8030 and the services say', () => {
    expect(classifyPushAnswer({ statusCode: 410 }, now)).toEqual({ kind: 'gone', status: 410 });
    expect(classifyPushAnswer({ statusCode: 404 }, now)).toEqual({ kind: 'gone', status: 404 });
    expect(classifyPushAnswer({ statusCode: 429, headers: { 'retry-after': '120' } }, now)).toEqual({ kind: 'rate-limited', retryAtMs: now + 120_000 });
    expect(classifyPushAnswer({ statusCode: 429, headers: {} }, now)).toEqual({ kind: 'rate-limited', retryAtMs: now + DEFAULT_RETRY_AFTER_MS });
    expect(classifyPushAnswer({ statusCode: 503, body: 'busy' }, now).kind).toBe('transient');
    expect(classifyPushAnswer({ statusCode: 413, body: 'too big' }, now).kind).toBe('refused');
    expect(classifyPushAnswer({ statusCode: 403 }, now).kind).toBe('refused');
    expect(classifyPushAnswer(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), now).kind).toBe('transient');
    // The request may have left: never sent again.
    expect(classifyPushAnswer(new Error('Socket timeout'), now).kind).toBe('unknown');
    expect(classifyPushAnswer(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), now).kind).toBe('unknown');
  });

  it('Retry-After in seconds or as an HTTP date', () => {
    expect(retryAfterMs('30', now)).toBe(30_000);
    expect(retryAfterMs(new Date(now + 90_000).toUTCString(), now)).toBeGreaterThan(88_000);
    expect(retryAfterMs('soon', now)).toBe(DEFAULT_RETRY_AFTER_MS);
  });
});

describe('what the app accepts', () => {
  const hosts = ['fcm.googleapis.com', 'push.services.mozilla.com'];
  const keys = { p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url'), auth: Buffer.alloc(16, 1).toString('base64url') };
  const sub = (o: Record<string, unknown> = {}) => ({ subscription: { endpoint: 'https://fcm.googleapis.com/fcm/send/abc', expirationTime: null, keys, ...o } });
  const ok = (b: unknown) => subscribeSchema(hosts).safeParse(b).success;

  it('a browser\'s PushSubscription JSON with preferences', () => {
    expect(ok({ ...sub(), preferences: { places: ['Pescara'], contracts: ['tirocinio'], words: ['cuoco'] } })).toBe(true);
    expect(ok(sub({ endpoint: 'https://updates.push.services.mozilla.com/wpush/v2/x' }))).toBe(true);
  });

  it('refuses endpoints that are not https URLs of a known push service, and keys of the wrong size', () => {
    expect(ok(sub({ endpoint: 'http://fcm.googleapis.com/fcm/send/abc' }))).toBe(false);
    expect(ok(sub({ endpoint: 'https://fcm.googleapis.com.attacker.example/x' }))).toBe(false);
    expect(ok(sub({ endpoint: 'https://169.254.169.254/latest' }))).toBe(false);
    expect(ok(sub({ endpoint: 'https://user:pw@fcm.googleapis.com/x' }))).toBe(false);
    expect(ok(sub({ endpoint: 'nonsense' }))).toBe(false);
    expect(ok(sub({ keys: { ...keys, auth: Buffer.alloc(15).toString('base64url') } }))).toBe(false);
    expect(ok(sub({ keys: { ...keys, p256dh: Buffer.alloc(65, 5).toString('base64url') } }))).toBe(false);
    expect(ok(sub({ keys: { ...keys, p256dh: 'not base64!' } }))).toBe(false);
    expect(ok({ ...sub(), preferences: { places: [], contracts: ['a-cottimo'], words: [] } })).toBe(false);
    expect(ok({ ...sub(), admin: true })).toBe(false);
    expect(unsubscribeSchema(hosts).safeParse({ endpoint: 'https://fcm.googleapis.com/fcm/send/abc' }).success).toBe(true);
  });
});

describe('channels.push config', () => {
  const base = { vapidPublicKey: VAPID.publicKey, vapidPrivateKey: VAPID.privateKey, subject: 'mailto:lavoro@example.it' };
  it('defaults: a TTL of hours, not the library\'s four weeks', () => {
    const c = pushSchema.parse(base);
    expect(c.ttl).toBe(4 * 3_600_000);
    expect(c.urgency).toBe('normal');
    expect(c.endpointHosts).toContain('fcm.googleapis.com');
  });
  it('refuses keys that are not VAPID keys, and a subject that is neither mailto: nor https:', () => {
    expect(pushSchema.safeParse({ ...base, vapidPublicKey: VAPID.privateKey }).success).toBe(false);
    expect(pushSchema.safeParse({ ...base, vapidPrivateKey: VAPID.publicKey }).success).toBe(false);
    expect(pushSchema.safeParse({ ...base, subject: 'http://example.it' }).success).toBe(false);
    expect(pushSchema.safeParse({ ...base, other: 1 }).success).toBe(false);
  });
  it('the private key is a secret: scrubbed from logs', () => {
    const yaml = `redis: { url: redis://127.0.0.1:6379, prefix: t }
dashboard: { username: a, password: bbbbbbbb }
publishers:
  - id: pescara
    name: Pescara
    feeds: [{ url: "http://127.0.0.1:1/f.xml" }]
    channels:
      push: { vapidPublicKey: ${VAPID.publicKey}, vapidPrivateKey: "\${VAPID_PRIVATE}", subject: "mailto:a@b.it" }
`;
    const loaded = parseConfig(yaml, { env: readEnvironment({ VAPID_PRIVATE: VAPID.privateKey } as NodeJS.ProcessEnv) });
    expect(loaded.secrets).toContain(VAPID.privateKey);
    expect(loaded.secrets).not.toContain(VAPID.publicKey);
  });
});
