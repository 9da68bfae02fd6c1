// SPDX-License-Identifier: EUPL-1.2
/**
 * The app's notifications end to end, on real parts: real Redis, the HTTPS push emulator (which checks
 * VAPID, requires TTL, decrypts aes128gcm and honours Topic), the dashboard's public routes for
 * subscribing, the delivery workers and the `push-sender` duty. What is asserted is what the push
 * service received, decrypted: the notification a phone would show.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import webpush from 'web-push';
import { startStack, waitFor, type Stack } from '../helpers/stack.ts';
import { startDashboard, startBackgroundDuties, type Stop } from '../../src/app/roles.ts';
import { startPushEmulator, type PushEmulator, type EmulatedSubscription, type PushMessage } from '../../src/channels/push/emulator.ts';
import { PushStore, subscriptionId } from '../../src/channels/push/store.ts';
import { PushChannel } from '../../src/channels/push/adapter.ts';
import { sendPass } from '../../src/channels/push/sender.ts';
import { makeSender } from '../../src/channels/push/send.ts';
import { topicFor } from '../../src/channels/push/notice.ts';
import { appWords, noticeWords } from '../../src/channels/push/words.ts';
import type { PushConfig } from '../../src/channels/push/config.ts';
import type { JobOffer } from '../../src/domain/offer.ts';

const VAPID = webpush.generateVAPIDKeys();
const EMAIL = /[\w.+-]+@[\w-]+\.[\w.]+/;

function pushYaml(emu: PushEmulator, extra = ''): string {
  return `      push:
        vapidPublicKey: ${VAPID.publicKey}
        vapidPrivateKey: \${PUSH_VAPID_PRIVATE}
        subject: mailto:lavoro@provincia.example.it
        ttl: 4h
        flushEvery: 300ms
        caFile: ${emu.caFile}
        endpointHosts: [127.0.0.1]
        subscribeLimit: 12
        attempts: 3
        backoff: { initial: 200ms, factor: 2, max: 1s }
${extra}`;
}

/** Waits until the push service took at least `n` messages for the endpoint, and returns them. */
async function receivedAtLeast(emu: PushEmulator, endpoint: string, n: number, what: string, timeoutMs = 20_000): Promise<PushMessage[]> {
  await waitFor(what, () => emu.received(endpoint).length >= n, timeoutMs);
  return emu.received(endpoint);
}

const payloadOf = (m: { json: unknown }) => m.json as { title: string; body: string; url: string };

describe('push notifications through the whole service', () => {
  let emu: PushEmulator;
  let stack: Stack;
  let url: string;
  const stops: Stop[] = [];
  let pescara: EmulatedSubscription, apprendista: EmulatedSubscription, gone: EmulatedSubscription, busy: EmulatedSubscription;

  const subscribe = (body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${url}/app/pescara/iscrizioni`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    emu = await startPushEmulator();
    stack = await startStack({ networks: [], initialOffers: 3, feedFormat: 'jsonld', channelsExtra: pushYaml(emu), extraEnv: { PUSH_VAPID_PRIVATE: VAPID.privateKey } });
    const dash = await startDashboard(stack.rt);
    stops.push(dash.stop);
    url = dash.url;
    pescara = emu.subscribe({ applicationServerKey: VAPID.publicKey });
    apprendista = emu.subscribe({ applicationServerKey: VAPID.publicKey });
    gone = emu.subscribe({ applicationServerKey: VAPID.publicKey });
    busy = emu.subscribe({ applicationServerKey: VAPID.publicKey });
    for (const [sub, preferences] of [
      [pescara, { places: ['Pescara'] }], [apprendista, { contracts: ['apprendistato'] }], [gone, {}], [busy, { places: ['Spoltore'] }],
    ] as const) {
      const res = await subscribe({ subscription: sub.toJSON(), preferences });
      expect(res.status).toBe(201);
    }
    emu.setMode(gone.endpoint, { status: 410 });
    emu.setMode(busy.endpoint, { status: 429, retryAfter: '2', times: 1 });
    stops.push(await stack.startWorkers(), startBackgroundDuties(stack.rt), await stack.startPoller());
  }, 60_000);

  afterAll(async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    await stack?.stop();
    await emu?.close();
  });

  it('refuses subscriptions that are not strictly valid, and JSON from elsewhere', async () => {
    const good = emu.subscribe().toJSON();
    expect((await subscribe({ subscription: { ...good, endpoint: good.endpoint.replace('https:', 'http:') } })).status).toBe(400);
    expect((await subscribe({ subscription: { ...good, endpoint: 'https://attacker.example/push/x' } })).status).toBe(400);
    expect((await subscribe({ subscription: { ...good, keys: { ...good.keys, auth: 'AAAA' } } })).status).toBe(400);
    expect((await subscribe({ subscription: { ...good, keys: { ...good.keys, p256dh: good.keys.auth } } })).status).toBe(400);
    expect((await subscribe({ subscription: good, preferences: { contracts: ['a-cottimo'] } })).status).toBe(400);
    expect((await subscribe({ subscription: good, extra: 1 })).status).toBe(400);
    expect((await subscribe('subscription=1', { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await subscribe({ subscription: good }, { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const store = new PushStore(stack.rt.services.redis, stack.rt.keys);
    expect(await store.get('pescara', subscriptionId(good.endpoint))).toBeNull();
  });

  it('notifies each subscription of the offers matching its preferences, once, with TTL and Topic', async () => {
    const first = await receivedAtLeast(emu, pescara.endpoint, 1, 'the Pescara offer notified');
    const [m] = first;
    expect(payloadOf(m!).title).toBe('Cameriere/a di sala');
    expect(payloadOf(m!).body).toContain('Pescara');
    expect(payloadOf(m!).body).toContain('scade il');
    expect(payloadOf(m!).url).toMatch(/\/offerte\/PE-2026-00124$/);
    expect(Object.keys(payloadOf(m!)).sort()).toEqual(['body', 'title', 'url']);
    expect(m!.headers).toMatchObject({ ttl: 4 * 3600, topic: topicFor('pescara'), urgency: 'normal', encoding: 'aes128gcm' });
    expect(m!.vapid.aud).toBe(emu.url);
    expect(m!.vapid.sub).toBe('mailto:lavoro@provincia.example.it');
    // The apprenticeship follower matches none of the first three offers.
    expect(emu.received(apprendista.endpoint)).toEqual([]);

    stack.feed.publishNext(); // Autista, Città Sant'Angelo, tempo determinato
    stack.feed.publishNext(); // Apprendista parrucchiere/a, Penne, apprendistato
    const second = await receivedAtLeast(emu, apprendista.endpoint, 1, 'the apprenticeship notified');
    expect(second.map((x) => payloadOf(x).title)).toEqual(['Apprendista parrucchiere/a']);
    expect(emu.received(pescara.endpoint)).toHaveLength(1);
    for (const msg of emu.received()) {
      expect(msg.text).not.toMatch(EMAIL);
      expect(msg.text.length).toBeLessThan(1000);
    }
  }, 40_000);

  it('deletes a subscription the push service says is gone (410)', async () => {
    const store = new PushStore(stack.rt.services.redis, stack.rt.keys);
    await waitFor('the 410 subscription deleted', async () => (await store.get('pescara', subscriptionId(gone.endpoint))) === null);
    expect(emu.refusals().filter((r) => r.endpoint === gone.endpoint).map((r) => r.status)).toEqual([410]);
    expect(emu.received(gone.endpoint)).toEqual([]);
    expect(await store.get('pescara', subscriptionId(pescara.endpoint))).not.toBeNull();
  }, 30_000);

  it('waits after a 429 for its Retry-After, then delivers once', async () => {
    const delivered = await receivedAtLeast(emu, busy.endpoint, 1, 'the Spoltore offer after the wait', 30_000);
    const refusal = emu.refusals().filter((r) => r.endpoint === busy.endpoint);
    expect(refusal.map((r) => r.status)).toEqual([429]);
    expect(delivered.map((x) => payloadOf(x).title)).toEqual(['Impiegato/a amministrativo/a contabile']);
    // Retry-After: 2 was honoured (nothing went to that push service in between).
    expect(delivered[0]!.at - refusal[0]!.at).toBeGreaterThanOrEqual(1900);
    // Two sender passes later, still one.
    const passes = () => stack.logs.filter((l) => l.includes('duty push-sender ran')).length;
    const before = passes();
    await waitFor('two more sender passes', () => passes() >= before + 2, 10_000);
    expect(emu.received(busy.endpoint)).toHaveLength(1);
  }, 40_000);

  it('serves the app: the page and its data list the open offers, filtered on the server', async () => {
    const redirect = await fetch(`${url}/app/pescara?luogo=Pescara`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/app/pescara/?luogo=Pescara');
    const page = await (await fetch(`${url}/app/pescara/?luogo=Pescara`)).text();
    expect(page).toContain('<html lang="it">');
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('Cameriere/a di sala');
    expect(page).not.toContain('Impiegato/a amministrativo/a contabile');
    const data = await (await fetch(`${url}/app/pescara/offerte.json?contratto=apprendistato`)).json() as { offers: Array<{ title: string; place: string }> };
    expect(data.offers.map((o) => o.title)).toEqual(['Apprendista parrucchiere/a']);
    const manifest = await (await fetch(`${url}/app/pescara/manifest.webmanifest`)).json() as { start_url: string; scope: string; lang: string };
    expect(manifest).toMatchObject({ start_url: '/app/pescara/', scope: '/app/pescara/', lang: 'it' });
    const sw = await fetch(`${url}/app/pescara/sw.js`);
    expect(sw.headers.get('content-type')).toContain('javascript');
    expect(await sw.text()).toContain("addEventListener('push'");
    expect((await fetch(`${url}/app/nessuno/`)).status).toBe(404);
  });

  it('unsubscribing deletes the subscription; too many subscriptions from one client are refused', async () => {
    const store = new PushStore(stack.rt.services.redis, stack.rt.keys);
    const res = await fetch(`${url}/app/pescara/iscrizioni`, { method: 'DELETE', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ endpoint: apprendista.endpoint }) });
    expect(res.status).toBe(200);
    expect(await store.get('pescara', subscriptionId(apprendista.endpoint))).toBeNull();
    let last = 0;
    for (let i = 0; i < 15 && last !== 429; i++) last = (await subscribe({ subscription: emu.subscribe().toJSON() })).status;
    expect(last).toBe(429);
  });
});

describe('push sender passes, driven one at a time', () => {
  let emu: PushEmulator;
  let stack: Stack;
  let cfg: PushConfig;
  let store: PushStore;
  let channel: PushChannel;

  const offer = (n: number, location: string, contract: string): JobOffer => ({
    publisherId: 'pescara', sourceId: `s${n}`, key: `k${n}`, url: `https://lavoro.example.it/offerte/${n}`, title: `Offerta ${n}`,
    text: 'Per candidarsi scrivere a mario.rossi@example.com', location, province: 'PE', contract, contentHash: `h${n}`,
  } as JobOffer);
  const pass = async () => sendPass({ services: stack.rt.services, words: noticeWords(await appWords()), senderFor: (_p, c) => makeSender(c, { timeoutMs: 3000, now: Date.now }) });
  const add = async (prefs = {}) => {
    const sub = emu.subscribe({ applicationServerKey: VAPID.publicKey });
    await store.save('pescara', { endpoint: sub.endpoint, keys: sub.keys, prefs: { places: [], contracts: [], words: [], ...prefs }, createdAt: Date.now() });
    return sub;
  };

  beforeAll(async () => {
    emu = await startPushEmulator();
    stack = await startStack({ networks: [], initialOffers: 0, channelsExtra: pushYaml(emu), extraEnv: { PUSH_VAPID_PRIVATE: VAPID.privateKey } });
    cfg = stack.rt.config.publishers[0]!.channels.push as PushConfig;
    store = new PushStore(stack.rt.services.redis, stack.rt.keys);
    channel = new PushChannel(cfg, { timeoutMs: 3000, publisher: stack.rt.config.publishers[0]!, services: () => stack.rt.services });
  }, 60_000);

  afterAll(async () => { await stack?.stop(); await emu?.close(); });

  it('groups the offers that arrive together into one notification, and Topic replaces a pending one', async () => {
    const sub = await add({ places: ['Penne'] });
    await channel.post({ text: 'x', link: 'x', offer: offer(1, 'Penne', 'Tempo indeterminato') });
    await channel.post({ text: 'x', link: 'x', offer: offer(2, 'Penne', 'Tempo determinato') });
    await channel.post({ text: 'x', link: 'x', offer: offer(3, 'Loreto Aprutino', 'Tempo determinato') });
    await pass();
    expect(emu.received(sub.endpoint).map((m) => payloadOf(m).title)).toEqual(['2 nuove offerte per te']);
    expect(payloadOf(emu.received(sub.endpoint)[0]!).body).toBe('Offerta 2 · Offerta 1');
    expect(payloadOf(emu.received(sub.endpoint)[0]!).url).toMatch(/\/app\/pescara\/$/);
    await channel.post({ text: 'x', link: 'x', offer: offer(4, 'Penne', 'Apprendistato') });
    await pass();
    // The phone was off: the second notification replaced the first at the push service.
    expect(emu.received(sub.endpoint)).toHaveLength(2);
    expect(emu.connect(sub.endpoint).map((m) => payloadOf(m).title)).toEqual(['Offerta 4']);
    expect(emu.received(sub.endpoint).every((m) => !EMAIL.test(m.text))).toBe(true);
  });

  it('a partial failure is retried for the failed subscription only; a retried post notifies no one twice', async () => {
    const ok = await add({ places: ['Popoli'] });
    const flaky = await add({ places: ['Popoli'] });
    emu.setMode(flaky.endpoint, { status: 503 });
    const o = offer(10, 'Popoli', 'Tempo determinato');
    await channel.post({ text: 'x', link: 'x', offer: o });
    await pass();
    expect(emu.received(ok.endpoint)).toHaveLength(1);
    expect(emu.received(flaky.endpoint)).toHaveLength(0);
    expect(await store.pending('pescara', subscriptionId(flaky.endpoint))).toEqual(['k10']);
    emu.setMode(flaky.endpoint, null);
    // The queue retries the post (as after a lost answer), then the sender's next passes run.
    await channel.post({ text: 'x', link: 'x', offer: o });
    await waitFor('the flaky subscription notified after its backoff', async () => { await pass(); return emu.received(flaky.endpoint).length === 1; }, 10_000, 100);
    await channel.post({ text: 'x', link: 'x', offer: o });
    await pass();
    expect(emu.received(ok.endpoint)).toHaveLength(1);
    expect(emu.received(flaky.endpoint)).toHaveLength(1);
    expect(await store.sent('pescara', subscriptionId(ok.endpoint))).toEqual(['k10']);
  });

  it('a closed offer leaves the outboxes before it is sent', async () => {
    const sub = await add({ places: ['Scafa'] });
    const out = await channel.post({ text: 'x', link: 'x', offer: offer(20, 'Scafa', 'Tempo determinato') });
    await channel.delete(out.remoteId);
    await pass();
    expect(emu.received(sub.endpoint)).toEqual([]);
    expect(await store.pending('pescara', subscriptionId(sub.endpoint))).toEqual([]);
  });

  it('404 deletes the subscription too; a wrong VAPID key is refused by the push service', async () => {
    const dead = await add({ places: ['Bussi sul Tirino'] });
    emu.setMode(dead.endpoint, { status: 404 });
    await channel.post({ text: 'x', link: 'x', offer: offer(30, 'Bussi sul Tirino', 'Tempo determinato') });
    await pass();
    expect(await store.get('pescara', subscriptionId(dead.endpoint))).toBeNull();
    const other = emu.subscribe({ applicationServerKey: webpush.generateVAPIDKeys().publicKey });
    await store.save('pescara', { endpoint: other.endpoint, keys: other.keys, prefs: { places: ['Cepagatti'], contracts: [], words: [] }, createdAt: Date.now() });
    await channel.post({ text: 'x', link: 'x', offer: offer(31, 'Cepagatti', 'Tempo determinato') });
    await pass();
    expect(emu.refusals().filter((r) => r.endpoint === other.endpoint).map((r) => r.status)).toEqual([403]);
    expect(emu.received(other.endpoint)).toEqual([]);
  });
});
