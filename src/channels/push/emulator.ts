// SPDX-License-Identifier: EUPL-1.2
/**
 * A Web Push service for tests and the sandbox (RFC 8030/8291/8292, channels.md 3.1), over HTTPS with a
 * self-signed certificate made at start by `openssl` (node:crypto cannot make X.509 certificates). The
 * sender trusts it through `caFile` (an agent of its own), never by turning TLS checks off.
 *
 * It plays both sides: `subscribe()` is the browser's PushManager.subscribe (a P-256 key pair and a
 * 16-byte auth secret, kept here so the emulator can decrypt); a POST to the endpoint is checked as a
 * push service checks it (VAPID JWT ES256 against `k=` and the subscription's application server key,
 * `aud` = this origin, `exp` within 24 h; `TTL` required; aes128gcm only, at most 4096 bytes), then
 * decrypted, so tests read the notification's text. A message waits ("pending") until the device
 * `connect`s; one with the same `Topic` replaces a pending one (RFC 8030 §5.4). Unkind modes: 404 or 410
 * for a subscription, 429 with Retry-After, 5xx. `GET /messages` lists what it took, for the sandbox.
 */
import * as https from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createDecipheriv, createECDH, createPublicKey, hkdfSync, randomBytes, randomUUID, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface PushMessage {
  id: string;
  endpoint: string;
  headers: { ttl: number; topic?: string; urgency?: string; encoding: string };
  /** The JWT's claims as received. */
  vapid: { aud: string; exp: number; sub?: string };
  /** The decrypted body (JSON text). */
  text: string;
  json: unknown;
  at: number;
}

export interface EmulatedSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** What the browser sends to `iscrizioni`: PushSubscription.toJSON(). */
  toJSON(): { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

type Mode = { status: 404 | 410 | 500 | 503 } | { status: 429; retryAfter?: string; times?: number };

interface Device {
  endpoint: string;
  ecdh: ReturnType<typeof createECDH>;
  publicKey: Buffer;
  auth: Buffer;
  /** The VAPID public key the subscription was made for: messages signed with another are refused (403). */
  serverKey?: string;
  pending: PushMessage[];
  shown: PushMessage[];
  mode?: Mode;
}

export interface PushEmulator {
  url: string;
  /** PEM of the self-signed certificate: what the sender must trust (`caFile`). */
  ca: string;
  caFile: string;
  subscribe(opts?: { applicationServerKey?: string }): EmulatedSubscription;
  /** Every message accepted for a subscription, in order (what the push service took). */
  received(endpoint?: string): PushMessage[];
  /** Messages still waiting for the device (Topic replacement applies here). */
  pending(endpoint: string): PushMessage[];
  /** The device comes online: its pending messages are delivered (and returned). */
  connect(endpoint: string): PushMessage[];
  /** Every request refused, with its status and why. */
  refusals(): Array<{ endpoint: string; status: number; reason: string; at: number }>;
  setMode(endpoint: string, mode: Mode | null): void;
  /** Requests seen in all (accepted or not). */
  requests(): number;
  close(): Promise<void>;
}

const b64u = (b: Buffer) => b.toString('base64url');

function makeCertificate(dir: string): { key: string; cert: string; certFile: string } {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyFile, '-out', certFile,
    '-days', '2', '-subj', '/CN=banditore push emulator', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}

/** RFC 8291 §3.4 and RFC 8188: the receiver's side of aes128gcm. */
export function decryptAes128gcm(body: Buffer, d: { ecdh: ReturnType<typeof createECDH>; publicKey: Buffer; auth: Buffer }): Buffer {
  if (body.length < 21) throw new Error('body shorter than the aes128gcm header');
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const senderKey = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  if (idlen !== 65) throw new Error('keyid is not an uncompressed P-256 key');
  if (ciphertext.length > rs) throw new Error('more than one record');
  const shared = d.ecdh.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), d.publicKey, senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, d.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // Padding: the last record ends with 0x02 then zeros.
  let end = plain.length - 1;
  while (end >= 0 && plain[end] === 0) end--;
  if (plain[end] !== 2) throw new Error('bad padding delimiter');
  return plain.subarray(0, end);
}

/** Checks `Authorization: vapid t=<jwt>, k=<key>`; returns the claims or why not. */
export function checkVapid(header: string | undefined, origin: string, now: number): { ok: true; key: string; claims: PushMessage['vapid'] } | { ok: false; reason: string } {
  const m = /^vapid\s+(.*)$/i.exec(header ?? '');
  if (!m) return { ok: false, reason: 'no vapid Authorization' };
  const params = Object.fromEntries(m[1]!.split(',').map((p) => p.trim().split('=')).filter((kv) => kv.length === 2).map(([k, v]) => [k!.trim(), v!.trim()]));
  const jwt = params.t;
  const key = params.k;
  if (!jwt || !key) return { ok: false, reason: 'vapid t= or k= missing' };
  const parts = jwt.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'JWT is not three parts' };
  let head: { alg?: string }, claims: { aud?: string; exp?: number; sub?: string };
  try {
    head = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString());
    claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString());
  } catch { return { ok: false, reason: 'JWT is not JSON' }; }
  if (head.alg !== 'ES256') return { ok: false, reason: `JWT alg ${head.alg}` };
  const raw = Buffer.from(key, 'base64url');
  if (raw.length !== 65 || raw[0] !== 4) return { ok: false, reason: 'k= is not an uncompressed P-256 key' };
  const pub = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64u(raw.subarray(1, 33)), y: b64u(raw.subarray(33)) }, format: 'jwk' });
  const good = verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: pub, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2]!, 'base64url'));
  if (!good) return { ok: false, reason: 'JWT signature does not verify' };
  if (claims.aud !== origin) return { ok: false, reason: `aud ${claims.aud} is not ${origin}` };
  const nowS = Math.floor(now / 1000);
  if (typeof claims.exp !== 'number' || claims.exp <= nowS || claims.exp > nowS + 24 * 3600) return { ok: false, reason: 'exp missing, past, or more than 24 h away' };
  if (claims.sub !== undefined && !/^(mailto:|https:)/.test(claims.sub)) return { ok: false, reason: 'sub is not mailto: or https:' };
  return { ok: true, key, claims: { aud: claims.aud, exp: claims.exp, ...(claims.sub ? { sub: claims.sub } : {}) } };
}

export async function startPushEmulator(opts: { port?: number; host?: string; now?: () => number } = {}): Promise<PushEmulator> {
  const now = opts.now ?? Date.now;
  const dir = mkdtempSync(path.join(tmpdir(), 'banditore-push-'));
  const { key, cert, certFile } = makeCertificate(dir);
  const devices = new Map<string, Device>();
  const all: PushMessage[] = [];
  const refused: Array<{ endpoint: string; status: number; reason: string; at: number }> = [];
  let requests = 0;
  let origin = '';

  const answer = (res: ServerResponse, status: number, body = '', headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(body);
  };

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    requests++;
    const endpoint = `${origin}${req.url ?? ''}`;
    const refuse = (status: number, reason: string, headers: Record<string, string> = {}) => { refused.push({ endpoint, status, reason, at: now() }); answer(res, status, reason, headers); };
    // For people watching the sandbox: what the push service took, decrypted (newest first).
    if (req.method === 'GET' && req.url === '/messages') {
      return answer(res, 200, JSON.stringify(all.slice().reverse().map((m) => ({ at: new Date(m.at).toISOString(), topic: m.headers.topic, ttl: m.headers.ttl, notification: m.json ?? m.text })), null, 2), { 'content-type': 'application/json; charset=utf-8' });
    }
    if (req.method !== 'POST' || !req.url?.startsWith('/push/')) return refuse(404, 'no such resource');
    const device = devices.get(endpoint);
    if (!device) return refuse(404, 'no such subscription');
    const mode = device.mode;
    if (mode && (mode.status === 404 || mode.status === 410)) return refuse(mode.status, mode.status === 410 ? 'subscription expired' : 'subscription not found');
    if (mode && mode.status === 429) {
      if (mode.times !== undefined && --mode.times <= 0) device.mode = undefined;
      return refuse(429, 'too many requests', mode.retryAfter !== undefined ? { 'retry-after': mode.retryAfter } : {});
    }
    if (mode && mode.status >= 500) return refuse(mode.status, 'push service unavailable');
    const vapid = checkVapid(req.headers.authorization, origin, now());
    if (!vapid.ok) return refuse(401, vapid.reason);
    if (device.serverKey && device.serverKey !== vapid.key) return refuse(403, 'VAPID key is not the one this subscription was made for');
    const ttlRaw = req.headers.ttl;
    if (typeof ttlRaw !== 'string' || !/^\d+$/.test(ttlRaw)) return refuse(400, 'TTL header missing or not a number');
    const topic = req.headers.topic as string | undefined;
    if (topic !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(topic)) return refuse(400, 'Topic is not at most 32 base64url characters');
    const urgency = req.headers.urgency as string | undefined;
    if (urgency !== undefined && !['very-low', 'low', 'normal', 'high'].includes(urgency)) return refuse(400, 'bad Urgency');
    const encoding = String(req.headers['content-encoding'] ?? '');
    if (encoding !== 'aes128gcm') return refuse(415, 'only aes128gcm');
    if (body.length > 4096) return refuse(413, 'payload too large');
    let text: string;
    try { text = decryptAes128gcm(body, device).toString('utf8'); } catch (e) { return refuse(400, `cannot decrypt: ${(e as Error).message}`); }
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    const msg: PushMessage = { id: randomUUID(), endpoint, headers: { ttl: Number(ttlRaw), ...(topic ? { topic } : {}), ...(urgency ? { urgency } : {}), encoding }, vapid: vapid.claims, text, json, at: now() };
    all.push(msg);
    if (topic) device.pending = device.pending.filter((p) => p.headers.topic !== topic);
    device.pending.push(msg);
    answer(res, 201, '', { location: `${origin}/message/${msg.id}` });
  };

  const server = https.createServer({ key, cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try { handle(req, res, Buffer.concat(chunks)); } catch (e) { answer(res, 500, (e as Error).message); }
    });
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve));
  const addr = server.address() as { port: number };
  origin = `https://${opts.host ?? '127.0.0.1'}:${addr.port}`;
  writeFileSync(path.join(dir, 'ca.pem'), cert);

  const deviceOf = (endpoint: string) => {
    const d = devices.get(endpoint);
    if (!d) throw new Error(`no emulated subscription ${endpoint}`);
    return d;
  };

  return {
    url: origin,
    ca: cert,
    caFile: certFile,
    subscribe(o = {}) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const endpoint = `${origin}/push/${b64u(randomBytes(16))}`;
      const d: Device = { endpoint, ecdh, publicKey: ecdh.getPublicKey(), auth: randomBytes(16), ...(o.applicationServerKey ? { serverKey: o.applicationServerKey } : {}), pending: [], shown: [] };
      devices.set(endpoint, d);
      const keys = { p256dh: b64u(d.publicKey), auth: b64u(d.auth) };
      return { endpoint, keys, toJSON: () => ({ endpoint, expirationTime: null, keys }) };
    },
    received: (endpoint) => all.filter((m) => endpoint === undefined || m.endpoint === endpoint),
    pending: (endpoint) => [...deviceOf(endpoint).pending],
    connect(endpoint) {
      const d = deviceOf(endpoint);
      const out = d.pending;
      d.pending = [];
      d.shown.push(...out);
      return out;
    },
    refusals: () => [...refused],
    setMode(endpoint, mode) { const d = deviceOf(endpoint); if (mode) d.mode = { ...mode }; else delete d.mode; },
    requests: () => requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => { rmSync(dir, { recursive: true, force: true }); resolve(); });
    }),
  };
}
