// SPDX-License-Identifier: EUPL-1.2
/**
 * The push emulator against the Web Push contract (RFC 8030/8291/8292, channels.md 3.1): it must be no
 * kinder than a push service. Requests are built by the real `web-push` library and then spoiled one
 * part at a time; each spoiled request must be refused and nothing stored.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import * as https from 'node:https';
import { createPrivateKey, sign } from 'node:crypto';
import webpush from 'web-push';
import { startPushEmulator, type PushEmulator, type EmulatedSubscription } from '../../src/channels/push/emulator.ts';

const VAPID = webpush.generateVAPIDKeys();
let emu: PushEmulator;
let sub: EmulatedSubscription;

interface Details { method: string; headers: Record<string, string | number>; body: Buffer | null; endpoint: string }

function details(o: { payload?: string; subject?: string; keys?: { publicKey: string; privateKey: string }; topic?: string; ttl?: number; target?: EmulatedSubscription } = {}): Details {
  const keys = o.keys ?? VAPID;
  const target = o.target ?? sub;
  return webpush.generateRequestDetails({ endpoint: target.endpoint, keys: target.keys }, o.payload ?? '{"title":"Ciao","body":"b","url":"https://x.example/"}', {
    vapidDetails: { subject: o.subject ?? 'mailto:a@example.it', publicKey: keys.publicKey, privateKey: keys.privateKey },
    TTL: o.ttl ?? 60, contentEncoding: 'aes128gcm', ...(o.topic ? { topic: o.topic } : {}),
  }) as unknown as Details;
}

function send(d: Details, change: (h: Record<string, string | number>) => void = () => {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const headers = { ...d.headers };
  change(headers);
  return new Promise((resolve, reject) => {
    const req = https.request(d.endpoint, { method: d.method, headers, ca: emu.ca }, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(d.body ?? undefined);
  });
}

/** `Authorization` with a JWT of our own claims, signed by the right key: what a careless sender might send. */
function vapidWith(claims: Record<string, unknown>): string {
  const raw = Buffer.from(VAPID.publicKey, 'base64url');
  const key = createPrivateKey({ key: { kty: 'EC', crv: 'P-256', d: VAPID.privateKey, x: raw.subarray(1, 33).toString('base64url'), y: raw.subarray(33).toString('base64url') }, format: 'jwk' });
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const data = `${part({ typ: 'JWT', alg: 'ES256' })}.${part(claims)}`;
  return `vapid t=${data}.${sign('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}, k=${VAPID.publicKey}`;
}

beforeAll(async () => { emu = await startPushEmulator(); sub = emu.subscribe({ applicationServerKey: VAPID.publicKey }); });
afterAll(async () => { await emu.close(); });

describe('the push emulator takes what a push service takes', () => {
  it('201 with a Location for a well-formed request, and the text decrypted', async () => {
    const r = await send(details());
    expect(r.status).toBe(201);
    expect(String(r.headers.location)).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/message\//);
    expect(emu.received(sub.endpoint).at(-1)!.json).toEqual({ title: 'Ciao', body: 'b', url: 'https://x.example/' });
  });

  it('a message with the same Topic replaces a pending one; another topic does not', async () => {
    const s = emu.subscribe({ applicationServerKey: VAPID.publicKey });
    await send(details({ target: s, topic: 'offerte', payload: '{"n":1}' }));
    await send(details({ target: s, topic: 'offerte', payload: '{"n":2}' }));
    await send(details({ target: s, topic: 'altro', payload: '{"n":3}' }));
    expect(emu.pending(s.endpoint).map((m) => m.json)).toEqual([{ n: 2 }, { n: 3 }]);
    expect(emu.connect(s.endpoint)).toHaveLength(2);
    expect(emu.pending(s.endpoint)).toEqual([]);
  });
});

describe('the push emulator refuses what a push service refuses', () => {
  const refusedWith = async (status: number, d: Details, change?: (h: Record<string, string | number>) => void) => {
    const before = emu.received().length;
    const r = await send(d, change);
    expect(r.status).toBe(status);
    expect(emu.received()).toHaveLength(before);
  };

  it('no TTL', async () => { await refusedWith(400, details(), (h) => { delete h.TTL; }); });
  it('a Topic longer than 32 characters or not base64url', async () => {
    await refusedWith(400, details(), (h) => { h.Topic = 'a'.repeat(33); });
    await refusedWith(400, details(), (h) => { h.Topic = 'not ok!'; });
  });
  it('no Authorization, or a JWT signed by another key than k=', async () => {
    await refusedWith(401, details(), (h) => { delete h.Authorization; });
    const other = webpush.generateVAPIDKeys();
    const theirs = String(details({ keys: other }).headers.Authorization);
    await refusedWith(401, details(), (h) => { h.Authorization = theirs.replace(/k=[^,\s]+/, `k=${VAPID.publicKey}`); });
  });
  it('a JWT whose aud is not this origin', async () => {
    const forOther = webpush.getVapidHeaders('https://fcm.googleapis.com', 'mailto:a@example.it', VAPID.publicKey, VAPID.privateKey, 'aes128gcm');
    await refusedWith(401, details(), (h) => { h.Authorization = String(forOther.Authorization); });
  });
  it('a JWT expired, or expiring more than 24 h away', async () => {
    const past = webpush.getVapidHeaders(emu.url, 'mailto:a@example.it', VAPID.publicKey, VAPID.privateKey, 'aes128gcm', Math.floor(Date.now() / 1000) - 10);
    await refusedWith(401, details(), (h) => { h.Authorization = String(past.Authorization); });
    const now = Math.floor(Date.now() / 1000);
    await refusedWith(401, details(), (h) => { h.Authorization = vapidWith({ aud: emu.url, exp: now + 25 * 3600, sub: 'mailto:a@example.it' }); });
    await refusedWith(401, details(), (h) => { h.Authorization = vapidWith({ aud: emu.url, sub: 'mailto:a@example.it' }); });
    // The same hand-made JWT with a fair exp is taken: the refusals above are about exp alone.
    expect((await send(details(), (h) => { h.Authorization = vapidWith({ aud: emu.url, exp: now + 3600, sub: 'mailto:a@example.it' }); })).status).toBe(201);
  });
  it('a subscription made for another application server key (403)', async () => {
    const other = webpush.generateVAPIDKeys();
    await refusedWith(403, details({ keys: other }));
  });
  it('another content encoding, a body it cannot decrypt, a body over 4096 bytes', async () => {
    await refusedWith(415, details(), (h) => { h['Content-Encoding'] = 'aesgcm'; });
    const d = details();
    const spoiled = Buffer.from(d.body!);
    spoiled[spoiled.length - 1] = spoiled[spoiled.length - 1]! ^ 1;
    await refusedWith(400, { ...d, body: spoiled });
    // web-push itself refuses to build a payload this large, so the body is made by hand.
    await refusedWith(413, { ...d, body: Buffer.alloc(5000, 1) }, (h) => { h['Content-Length'] = 5000; });
  });
  it('404 for an unknown subscription; the modes 410, 429 with Retry-After, 503', async () => {
    await refusedWith(404, { ...details(), endpoint: `${emu.url}/push/unknown` });
    const s = emu.subscribe({ applicationServerKey: VAPID.publicKey });
    emu.setMode(s.endpoint, { status: 410 });
    await refusedWith(410, details({ target: s }));
    emu.setMode(s.endpoint, { status: 429, retryAfter: '120', times: 1 });
    const r = await send(details({ target: s }));
    expect(r.status).toBe(429);
    expect(r.headers['retry-after']).toBe('120');
    expect((await send(details({ target: s }))).status).toBe(201);
    emu.setMode(s.endpoint, { status: 503 });
    await refusedWith(503, details({ target: s }));
  });
});
