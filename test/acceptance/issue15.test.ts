// SPDX-License-Identifier: EUPL-1.2
/**
 * Acceptance of issue 15 ("The seed's other channels"), clause by clause of its "Done when", against the
 * Telegram Bot API, SMTP and Web Push emulators, real Redis and real HTTP. Offers come in through the
 * offers API, each carrying a person's e-mail and phone, so every message can be checked for them.
 */
import { describe, it, expect, afterEach } from 'vitest';
import webpush from 'web-push';
import { startStack, waitFor, type Stack } from '../helpers/stack.ts';
import { startDashboard, startBackgroundDuties } from '../../src/app/roles.ts';
import { drained } from '../helpers/evidence.ts';
import { startTelegramEmulator, type TgEmulator } from '../../src/channels/telegram/emulator.ts';
import { startSmtpEmulator, type ReceivedMail } from '../../src/channels/newsletter/emulator.ts';
import { startPushEmulator } from '../../src/channels/push/emulator.ts';
import { CONTACT_PATTERNS } from './docs.ts';

let stack: Stack | undefined;
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
  for (const c of closers.splice(0).reverse()) await c().catch(() => undefined);
});

const TOKEN = 'pescara-api-token-0123456789abcdef';
const BOT = '123456789:AAHacceptanceTESTtokenABCDEFGHIJKLMN';

function offer(id: string, title: string, place: { city: string; region: string }) {
  return {
    '@context': 'https://schema.org', '@type': 'JobPosting', identifier: id, title,
    description: `Si cerca ${title} con esperienza. Inviare il curriculum a mario.rossi72@gmail.com oppure chiamare il 333 1234567.`,
    hiringOrganization: { '@type': 'Organization', name: 'Bar Centrale (tel. 347 7654321)' },
    employmentType: 'FULL_TIME',
    url: `https://www.provincia.pescara.it/offerte/${id}`,
    datePosted: '2026-11-30', validThrough: '2026-12-31',
    jobLocation: { '@type': 'Place', address: { '@type': 'PostalAddress', addressLocality: place.city, addressRegion: place.region } },
  };
}

const noContacts = (what: string, texts: string[]) => {
  for (const t of texts) for (const re of CONTACT_PATTERNS) expect(t, `${what} repeats ${re}`).not.toMatch(re);
};

async function api(dashUrl: string) {
  const base = `${dashUrl}/api/v1/publishers/pescara/offers`;
  const auth = { authorization: `Bearer ${TOKEN}` };
  return {
    push: async (body: unknown) => {
      const r = await fetch(base, { method: 'POST', body: JSON.stringify(body), headers: { ...auth, 'content-type': 'application/ld+json' } });
      expect(r.status, await r.clone().text()).toBe(201);
    },
    withdraw: async (id: string) => {
      const r = await fetch(`${base}/${id}`, { method: 'DELETE', headers: auth });
      expect(r.status).toBe(200);
    },
  };
}

describe('issue 15: Telegram channel, push notifications and the web app', () => {
  it('each offer is sent once to the channel within its limits (a 429 retry_after honoured), edited when it closes; push notifications and the app carry no personal contact', async () => {
    const tg: TgEmulator = await startTelegramEmulator({ bots: [{ token: BOT, username: 'pescara_lavoro_bot' }], channels: [{ username: 'lavoropescara', title: 'Lavoro Pescara' }] });
    closers.push(tg.close);
    const pushService = await startPushEmulator();
    closers.push(pushService.close);
    const vapid = webpush.generateVAPIDKeys();
    stack = await startStack({
      initialOffers: 0,
      networks: [],
      publisherExtra: `    api: { tokens: ["\${PESCARA_API_TOKEN}"] }`,
      channelsExtra: `      telegram:
        botToken: \${TG_BOT_TOKEN}
        chat: "@lavoropescara"
        apiBaseUrl: ${tg.url}
        backoff: { initial: 200ms, factor: 2, max: 2s }
      push:
        vapidPublicKey: ${vapid.publicKey}
        vapidPrivateKey: \${VAPID_PRIVATE_KEY}
        subject: mailto:lavoro@provincia.pescara.it
        endpointHosts: ["127.0.0.1"]
        caFile: ${pushService.caFile}
        flushEvery: 1s`,
      extraEnv: { PESCARA_API_TOKEN: TOKEN, TG_BOT_TOKEN: BOT, VAPID_PRIVATE_KEY: vapid.privateKey },
    });
    await stack.startWorkers();
    const duties = startBackgroundDuties(stack.rt);
    closers.push(duties);
    const dash = await startDashboard(stack.rt);
    closers.push(dash.stop);
    const { push, withdraw } = await api(dash.url);

    // A follower turns notifications on in the app (the emulator plays the browser).
    const device = pushService.subscribe({ applicationServerKey: vapid.publicKey });
    const sub = await fetch(`${dash.url}/app/pescara/iscrizioni`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ subscription: device.toJSON(), preferences: {} }) });
    expect(sub.status, await sub.clone().text()).toBe(201);

    // Telegram refuses the first message with a retry_after of 2 s.
    tg.failNext(1, { status: 429, retryAfter: 2, description: 'Too Many Requests: retry after 2' });
    const titles = ['Cuoco', 'Cameriere', 'Barista', 'Lavapiatti', 'Pizzaiolo'];
    for (const [i, t] of titles.entries()) await push(offer(`PE-TG-${i}`, t, { city: 'Pescara', region: 'PE' }));

    await waitFor('five messages in the channel', () => tg.messages().filter((m) => !m.deleted).length >= 5, 30_000);
    await drained(stack.rt);
    const msgs = tg.messages();
    expect(msgs).toHaveLength(5);
    for (const t of titles) expect(msgs.filter((m) => m.text.includes(t)), `messages for ${t}`).toHaveLength(1);
    const chatId = tg.chatIdOf('lavoropescara');
    for (const m of msgs) expect(m.chatId).toBe(chatId);

    const sends = tg.requests().filter((r) => r.method === 'sendMessage');
    const refusals = tg.requests().filter((r) => r.status === 429);
    expect(refusals.length, 'refusals by Telegram').toBeGreaterThanOrEqual(1);
    expect(refusals.length, 'refusals by Telegram').toBeLessThanOrEqual(2);
    // The first refusal said 2 s: nothing was sent to the chat before they passed.
    const first429 = sends.find((r) => r.status === 429)!;
    const nextSend = sends.find((r) => r.at > first429.at);
    expect(nextSend!.at - first429.at).toBeGreaterThanOrEqual(1900);
    // Within 1 per second: accepted messages at least about a second apart.
    const accepted = sends.filter((r) => r.status === 200).map((r) => r.at);
    for (let i = 1; i < accepted.length; i++) expect(accepted[i]! - accepted[i - 1]!).toBeGreaterThanOrEqual(900);

    // The offer closes: its message is edited to say so, and not deleted nor sent again.
    await withdraw('PE-TG-1');
    await waitFor('the message of the closed offer edited', () => tg.messages().find((m) => m.history.some((h) => h.text.includes('Cameriere')) || m.text.includes('Cameriere'))?.text.includes('OFFERTA CHIUSA'));
    await drained(stack.rt);
    const closed = tg.messages().find((m) => m.text.includes('Cameriere'))!;
    expect(closed.deleted).toBe(false);
    expect(closed.history.length).toBeGreaterThanOrEqual(1);
    expect(tg.messages()).toHaveLength(5);
    expect(tg.messages().filter((m) => m.text.includes('OFFERTA CHIUSA'))).toHaveLength(1);
    expect(tg.requests().filter((r) => r.status === 429).length).toBeLessThanOrEqual(2);

    // Web Push: the follower was notified of the offers.
    // One notification per offer, or one for several arriving together ("3 nuove offerte per te").
    const offersIn = (text: string) => {
      const n = /"title":"(\d+) nuove offerte/.exec(text);
      return n ? Number(n[1]) : 1;
    };
    const notified = () => pushService.received(device.endpoint).reduce((sum, m) => sum + offersIn(m.text), 0);
    await waitFor('notifications of the five offers on the device', () => notified() >= 5, 30_000).catch((e: Error) => {
      throw new Error(`${e.message}; received ${JSON.stringify(pushService.received(device.endpoint).map((m) => m.text))}, refused ${JSON.stringify(pushService.refusals())}`);
    });
    const pushed = pushService.received(device.endpoint);
    expect(notified(), 'offers notified').toBe(5);
    for (const m of pushed) {
      expect(m.headers.ttl).toBeGreaterThan(0);
      expect(m.headers.topic).toBeTruthy();
    }

    // The app lists the open offers, not the closed one; without the slash it sends to its scope.
    const bare = await fetch(`${dash.url}/app/pescara`, { redirect: 'manual' });
    expect([301, 302, 307, 308]).toContain(bare.status);
    expect(bare.headers.get('location')).toMatch(/\/app\/pescara\/$/);
    const app = await fetch(`${dash.url}/app/pescara/`);
    expect(app.status).toBe(200);
    const page = await app.text();
    for (const t of titles.filter((x) => x !== 'Cameriere')) expect(page).toContain(t);
    expect(page).not.toContain('Cameriere');
    const data = await (await fetch(`${dash.url}/app/pescara/offerte.json`)).text();

    noContacts('a Telegram message', tg.messages().flatMap((m) => [m.text, m.html, ...m.history.map((h) => h.text)]));
    noContacts('a push notification', pushed.map((m) => m.text));
    noContacts('the app', [page, data]);
  }, 90_000);
});

const form = (fields: Record<string, string | string[]>) => {
  const b = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) b.append(k, x);
  return b;
};
const hidden = (page: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page)?.[1];
const linkIn = (mail: ReceivedMail, path: string) => new RegExp(`https?://[^\\s"<>]*${path}\\?t=[^\\s"<>]+`).exec(mail.text)?.[0]?.replace(/&amp;/g, '&');

describe('issue 15: the newsletter', () => {
  it('double opt-in, one digest of the matching offers with List-Unsubscribe headers, nothing after a one-click unsubscribe, no personal contact', async () => {
    const smtp = await startSmtpEmulator();
    closers.push(smtp.close);
    stack = await startStack({
      initialOffers: 0,
      networks: [],
      publisherExtra: `    api: { tokens: ["\${PESCARA_API_TOKEN}"] }`,
      channelsExtra: `      newsletter:
        from: "Offerte di lavoro <offerte@provincia.pescara.it>"
        smtp: { url: "${smtp.url}" }
        schedule: instant
        privacyUrl: https://www.provincia.pescara.it/privacy`,
      extraEnv: { PESCARA_API_TOKEN: TOKEN },
    });
    await stack.startWorkers();
    closers.push(startBackgroundDuties(stack.rt));
    const dash = await startDashboard(stack.rt);
    closers.push(dash.stop);
    const { push } = await api(dash.url);
    const page = `${dash.url}/iscriviti/pescara`;

    async function subscribe(email: string, places: string) {
      const get = await fetch(page);
      expect(get.status).toBe(200);
      const html = await get.text();
      const formToken = hidden(html, 'formToken');
      expect(formToken).toBeTruthy();
      const r = await fetch(page, { method: 'POST', body: form({ formToken: formToken!, email, places, words: '', consent: 'yes' }), redirect: 'manual' });
      expect(r.status).toBeLessThan(400);
      return (await waitFor(`the confirmation e-mail to ${email}`, () => smtp.to(email)[0]))!;
    }
    async function confirm(mail: ReceivedMail) {
      const link = linkIn(mail, '/iscriviti/pescara/conferma');
      expect(link, mail.text).toBeTruthy();
      const u = new URL(link!);
      const local = `${dash.url}${u.pathname}${u.search}`;
      const shown = await fetch(local);
      expect(shown.status).toBe(200);
      const t = hidden(await shown.text(), 't') ?? u.searchParams.get('t')!;
      return { local, post: () => fetch(`${dash.url}${u.pathname}`, { method: 'POST', body: form({ t }), redirect: 'manual' }) };
    }

    // A control subscriber, confirmed, whose digests show that a digest pass has run.
    const control = 'controllo@example.org';
    const c = await confirm(await subscribe(control, 'PE'));
    expect((await c.post()).status).toBeLessThan(400);

    const anna = 'anna.verdi@example.org';
    const confirmation = await subscribe(anna, 'PE');
    expect(confirmation.to.join(',')).toContain(anna);
    const annaConfirm = await confirm(confirmation);
    // Opening the link (as a mail scanner does) confirms nothing.
    await fetch(annaConfirm.local);

    await push(offer('PE-NL-1', 'Commesso', { city: 'Pescara', region: 'PE' }));
    await waitFor('a digest to the control subscriber with the first offer', () => smtp.to(control).some((m) => m.text.includes('Commesso')), 150_000, 200);
    expect(smtp.to(anna), 'messages to an unconfirmed subscriber').toHaveLength(1);

    // Anna confirms by the button's POST; then three offers arrive, two of them in her province.
    expect((await annaConfirm.post()).status).toBeLessThan(400);
    await push(offer('PE-NL-2', 'Magazziniere', { city: 'Montesilvano', region: 'PE' }));
    await push(offer('PE-NL-3', 'Elettricista', { city: 'Teramo', region: 'TE' }));
    await push(offer('PE-NL-4', 'Autista', { city: 'Penne', region: 'PE' }));
    await drained(stack.rt);
    const digest = (await waitFor('a digest to Anna', () => smtp.to(anna)[1], 150_000, 200))!;
    expect(digest.text).toContain('Magazziniere');
    expect(digest.text).toContain('Autista');
    expect(digest.text).not.toContain('Elettricista');
    expect(digest.text).not.toContain('Commesso');
    expect(digest.html).toContain('Magazziniere');
    const lu = digest.headers['list-unsubscribe'];
    expect(lu).toMatch(/<https?:\/\/[^>]+\/iscriviti\/pescara\/disiscrivi\?t=[^>]+>/);
    expect(lu).toMatch(/<mailto:[^>]+>/);
    expect(digest.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(digest.text).toMatch(/disiscrivi/);

    // One-click unsubscribe, as a mail provider does it: a POST, answered 200 without a redirect.
    const one = new URL(/<(https?:\/\/[^>]+)>/.exec(lu!)![1]!);
    const un = await fetch(`${dash.url}${one.pathname}${one.search}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click', redirect: 'manual' });
    expect(un.status).toBe(200);

    // The confirmation and one digest, nothing else.
    const before = smtp.to(anna).length;
    expect(before).toBe(2);
    await push(offer('PE-NL-5', 'Giardiniere', { city: 'Pescara', region: 'PE' }));
    await waitFor('a digest to the control subscriber with the last offer', () => smtp.to(control).some((m) => m.text.includes('Giardiniere')), 150_000, 200);
    expect(smtp.to(anna)).toHaveLength(before);
    // Each offer reached each subscriber once.
    for (const t of ['Commesso', 'Magazziniere', 'Autista', 'Giardiniere']) expect(smtp.to(control).filter((m) => m.text.includes(t)), t).toHaveLength(1);
    expect(smtp.messages().every((m) => !m.text.includes('Elettricista'))).toBe(true);
    noContacts('an e-mail', smtp.messages().flatMap((m) => [m.text, m.html, m.subject]));
  }, 420_000);
});
