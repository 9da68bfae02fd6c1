// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #15, the newsletter, on real parts: real Redis, the office's feed, the delivery workers, the
 * dashboard's public pages (fastify inject on the real dashboard) and a local SMTP server
 * (smtp-server, emulator.ts) that keeps what it received. A person subscribes on the page, gets the
 * confirmation e-mail, gets nothing until the confirmation is POSTed, then gets the matching offers in
 * one digest with the RFC 8058 headers; after the one-click POST, nothing more. No personal contact of
 * an offer is in any message; a lost SMTP answer is never followed by a second copy.
 */
import { describe, it, expect, afterEach } from 'vitest';
import type { SmtpEmulator, ReceivedMail } from '../../src/channels/newsletter/emulator.ts';
import { Subscribers } from '../../src/channels/newsletter/subscribers.ts';
import { waitFor } from '../helpers/stack.ts';
import { offer } from './life-kit.ts';
import { startWorld, PUBLIC, CONTACT_MAIL, CONTACT_PHONE, type World } from './newsletter-kit.ts';

let world: World | undefined;
afterEach(async () => { await world?.stop(); world = undefined; });

const withContacts = (n: number, location: string) => offer(n, {
  location, title: `Cuoco/a di linea n. ${n}`,
  description: `Ristorante cerca cuoco. Inviare il curriculum a ${CONTACT_MAIL} oppure chiamare il ${CONTACT_PHONE}.`,
});

const formToken = (page: string) => /name="formToken" value="([^"]+)"/.exec(page)?.[1] ?? '';
const linkIn = (mail: ReceivedMail, path: string) => new RegExp(`https://lavoro\\.example\\.it/iscriviti/pescara/${path}\\?t=[A-Za-z0-9_%-]+`).exec(mail.text)?.[0];
const digestsTo = (smtp: SmtpEmulator, a: string) => smtp.to(a).filter((m) => m.messageId.startsWith('<digest-'));
const relative = (url: string) => url.slice(PUBLIC.length);

function expectNoContacts(mails: ReceivedMail[]) {
  for (const m of mails) {
    for (const part of [m.raw, m.text, m.html, m.subject]) {
      expect(part).not.toContain('mario.rossi');
      expect(part.replace(/\s/g, '')).not.toContain(CONTACT_PHONE.replace(/\s/g, ''));
    }
  }
}

describe('the newsletter', () => {
  it('subscribe → confirmation e-mail → nothing until the POST → one digest of the matching offers with RFC 8058 headers → one-click unsubscribe → nothing more', async () => {
    world = await startWorld();
    const w = world;
    const person = 'giulia.bianchi@example.org';

    // The form: Italian, one h1, labelled fields, its own token.
    const form = await w.app.inject({ method: 'GET', url: '/iscriviti/pescara' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<html lang="it">');
    expect(form.body.match(/<h1>/g)).toHaveLength(1);
    expect(form.body).toContain('<label for="email">');
    expect(form.body).toContain('href="https://lavoro.example.it/privacy"');
    // Without the consent box the form answers with the error tied to its field, and subscribes nobody.
    const refused = await w.app.inject({ method: 'POST', url: '/iscriviti/pescara', payload: { formToken: formToken(form.body), email: person, places: 'Montesilvano' } });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toMatch(/id="consent"[^>]*aria-describedby="consent-error"[^>]*aria-invalid="true"/);
    expect(refused.body).toContain('id="consent-error"');

    const again = await w.app.inject({ method: 'GET', url: '/iscriviti/pescara' });
    const sent = await w.app.inject({ method: 'POST', url: '/iscriviti/pescara', payload: { formToken: formToken(again.body), email: 'Giulia.Bianchi@Example.org ', places: 'Montesilvano', consent: 'yes' } });
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Controlla la tua casella di posta');

    const confirmation = (await waitFor('the confirmation e-mail', () => w.smtp.to(person)[0]))!;
    expect(confirmation.subject).toContain('Conferma');
    const confirmLink = linkIn(confirmation, 'conferma');
    expect(confirmLink).toBeDefined();

    // An offer before the confirmation is posted: a digest pass sends them nothing.
    w.office.list = [withContacts(1, 'Montesilvano')];
    await w.pollUntilRecorded(1);
    await w.digestPass();
    expect(digestsTo(w.smtp, person)).toHaveLength(0);

    // The link shows a button and confirms nothing by itself (mail scanners follow links).
    const confirmPage = await w.app.inject({ method: 'GET', url: relative(confirmLink!) });
    expect(confirmPage.statusCode).toBe(200);
    expect(confirmPage.body).toContain('<button type="submit">');
    const subs = new Subscribers(w.rt.services);
    expect((await subs.byEmail('pescara', person))?.state).toBe('pending');
    // Unconfirmed, it would disappear after 7 days.
    const pendingTtl = await w.rt.redis.pttl(w.rt.keys.channelData('newsletter', 'sub', 'pescara', subs.idOf('pescara', person)));
    expect(pendingTtl).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(pendingTtl).toBeLessThanOrEqual(7 * 86_400_000);
    const token = decodeURIComponent(new URL(confirmLink!).searchParams.get('t')!);
    const confirmed = await w.app.inject({ method: 'POST', url: '/iscriviti/pescara/conferma', payload: { t: token } });
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('Iscrizione confermata');
    const record = await subs.byEmail('pescara', person);
    expect(record).toMatchObject({ email: person, state: 'confirmed', prefs: { places: ['Montesilvano'] } });
    expect(record?.consent).toMatchObject({ method: 'form', privacyVersion: '2026-01' });
    expect(record?.consent?.text).toContain('informativa');

    // Two matching offers and one elsewhere: one digest with the two.
    w.office.list = [...w.office.list, withContacts(2, 'Montesilvano'), offer(3, { location: 'Spoltore', title: 'Magazziniere n. 3' }), withContacts(4, 'Montesilvano')];
    await w.pollUntilRecorded(4);
    expect(await w.digestPass()).toMatchObject({ sent: 1 });
    const digests = digestsTo(w.smtp, person);
    expect(digests).toHaveLength(1);
    const digest = digests[0]!;
    expect(digest.subject).toBe('2 nuove offerte di lavoro – Provincia di Pescara – Servizi per il lavoro');
    for (const n of [2, 4]) {
      expect(digest.text).toContain(`Cuoco/a di linea n. ${n}`);
      expect(digest.html).toContain(`Cuoco/a di linea n. ${n}`);
      expect(digest.text).toContain(w.office.linkOf(offer(n).code));
    }
    expect(digest.text).toContain('Montesilvano');
    expect(digest.text).not.toContain('Magazziniere');
    expect(digest.text).not.toContain('Cuoco/a di linea n. 1');
    const unsubscribe = linkIn(digest, 'disiscrivi')!;
    expect(digest.headers['list-unsubscribe']).toBe(`<${unsubscribe}>, <mailto:offerte@lavoro.example.it?subject=disiscrivi>`);
    expect(digest.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(digest.html).toContain(`href="${unsubscribe}"`);
    expect(digest.messageId).toMatch(/^<digest-pescara-\d{4}-\d\d-\d\dT\d{4}\.[0-9a-f]{24}@lavoro\.example\.it>$/);

    // Operators see the confirmed subscribers and the digest on the overview.
    const overview = await w.app.inject({ method: 'GET', url: '/', headers: { authorization: `Basic ${Buffer.from('operator:dash-TEST-6666').toString('base64')}` } });
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('<p data-audience="pescara/newsletter">1 iscritto confermato</p>');
    expect(overview.body).toMatch(/<caption>Ultimi invii<\/caption>[\s\S]*<td>1<\/td><td>0<\/td><td>0<\/td><td>0<\/td>/);

    // A pass with nothing new sends nothing: each offer reaches them once.
    await w.digestPass();
    expect(digestsTo(w.smtp, person)).toHaveLength(1);

    // The GET shows a button; the RFC 8058 one-click POST unsubscribes at once, 200, no redirect.
    const unsubPage = await w.app.inject({ method: 'GET', url: relative(unsubscribe) });
    expect(unsubPage.statusCode).toBe(200);
    expect((await subs.byEmail('pescara', person))?.state).toBe('confirmed');
    const oneClick = await w.app.inject({
      method: 'POST', url: relative(unsubscribe),
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' }, payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.headers.location).toBeUndefined();
    expect(oneClick.body).toContain('Iscrizione annullata');
    expect((await subs.byEmail('pescara', person))?.state).toBe('unsubscribed');

    // A new matching offer: the digest runs (its record says so) and writes to nobody.
    w.office.list = [...w.office.list, withContacts(5, 'Montesilvano')];
    await w.pollUntilRecorded(5);
    const before = w.smtp.messages().length;
    expect(await w.digestPass()).toMatchObject({ sent: 0 });
    const last = await w.rt.redis.hgetall(w.rt.keys.channelData('newsletter', 'state', 'pescara'));
    expect(Number(last.lastUpTo)).toBe(5);
    expect(w.smtp.messages()).toHaveLength(before);
    expect(w.smtp.to(person)).toHaveLength(2);
    expectNoContacts(w.smtp.messages());
    // The SMTP password never reaches a log line.
    expect(w.logs.join('')).not.toContain('smtp-TEST-secret-7777');
  });

  it('the page tells nothing about an address; a confirmed subscriber changes preferences only by confirming again', async () => {
    world = await startWorld();
    const w = world;
    const subs = new Subscribers(w.rt.services);
    await subs.importConfirmed('pescara', 'anna@example.org', { places: [], contracts: [], words: [] }, { at: Date.now(), method: 'sportello' }, 0);
    const before = await subs.byEmail('pescara', 'anna@example.org');
    const page = await w.app.inject({ method: 'GET', url: '/iscriviti/pescara' });
    const known = await w.app.inject({ method: 'POST', url: '/iscriviti/pescara', payload: { formToken: formToken(page.body), email: 'anna@example.org', places: 'Penne', consent: 'yes' } });
    const page2 = await w.app.inject({ method: 'GET', url: '/iscriviti/pescara' });
    const unknown = await w.app.inject({ method: 'POST', url: '/iscriviti/pescara', payload: { formToken: formToken(page2.body), email: 'nuovo@example.org', places: 'Penne', consent: 'yes' } });
    expect(known.statusCode).toBe(unknown.statusCode);
    expect(known.body).toBe(unknown.body);
    await waitFor('both addresses get a confirmation', () => w.smtp.to('nuovo@example.org').length === 1 && w.smtp.to('anna@example.org').length === 1);
    // Until the button is pressed, Anna keeps receiving as before.
    expect((await subs.byEmail('pescara', 'anna@example.org'))?.prefs.places).toEqual([]);
    const link = linkIn(w.smtp.to('anna@example.org')[0]!, 'conferma')!;
    expect((await w.app.inject({ method: 'GET', url: relative(link) })).statusCode).toBe(200);
    const token = decodeURIComponent(new URL(link).searchParams.get('t')!);
    expect((await w.app.inject({ method: 'POST', url: '/iscriviti/pescara/conferma', payload: { t: token } })).statusCode).toBe(200);
    const after = await subs.byEmail('pescara', 'anna@example.org');
    expect(after).toMatchObject({ state: 'confirmed', prefs: { places: ['Penne'] }, unsubscribeToken: before!.unsubscribeToken });
    // The link is used up.
    expect((await w.app.inject({ method: 'POST', url: '/iscriviti/pescara/conferma', payload: { t: token } })).statusCode).toBe(404);
    // Subscribing is limited per client: the 11th request of the hour is refused (two were made above).
    const codes: number[] = [];
    for (let i = 0; i < 9; i++) {
      const f = await w.app.inject({ method: 'GET', url: '/iscriviti/pescara' });
      codes.push((await w.app.inject({ method: 'POST', url: '/iscriviti/pescara', payload: { formToken: formToken(f.body), email: `p${i}@example.org`, consent: 'yes' } })).statusCode);
    }
    expect(codes).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    // A used form token is refused.
    const reused = await w.app.inject({ method: 'POST', url: '/iscriviti/pescara', payload: { formToken: formToken(page.body), email: 'altro@example.org', consent: 'yes' } });
    expect(reused.statusCode).toBe(400);
  });

  it('a lost SMTP answer is never followed by a second copy; 4xx is tried again later; 5xx suppresses the address', async () => {
    world = await startWorld();
    const w = world;
    const subs = new Subscribers(w.rt.services);
    const all = { places: [], contracts: [], words: [] };
    for (const a of ['lost@example.org', 'later@example.org', 'gone@example.org']) await subs.importConfirmed('pescara', a, all, { at: Date.now(), method: 'import' }, 0);
    w.smtp.dropAfterData('lost@example.org');
    w.smtp.tempFail('later@example.org');
    w.smtp.permFail('gone@example.org');

    w.office.list = [offer(1)];
    await w.pollUntilRecorded(1);
    expect(await w.digestPass()).toMatchObject({ sent: 0, doubt: 1, suppressed: 1, deferred: 1 });
    expect(digestsTo(w.smtp, 'lost@example.org')).toHaveLength(1);
    expect(digestsTo(w.smtp, 'later@example.org')).toHaveLength(0);
    expect((await subs.byEmail('pescara', 'gone@example.org'))?.state).toBe('suppressed');

    // The next passes: the 4xx address gets its digest once the server takes it; the lost one gets no copy.
    w.smtp.tempFail('later@example.org', false);
    await w.digestPass();
    expect(digestsTo(w.smtp, 'later@example.org')).toHaveLength(1);
    expect(digestsTo(w.smtp, 'lost@example.org')).toHaveLength(1);
    const slot = (await w.rt.redis.zrevrange(w.rt.keys.channelData('newsletter', 'digests', 'pescara'), 0, -1))[0]!;
    const ledger = await w.rt.redis.hgetall(w.rt.keys.channelData('newsletter', 'ledger', 'pescara', slot));
    expect(Object.values(ledger).sort()).toEqual(['doubt', 'sent', 'suppressed']);

    // A later offer reaches the one in doubt, without the offer of the lost answer again.
    w.office.list = [...w.office.list, offer(2)];
    await w.pollUntilRecorded(2);
    await w.digestPass();
    const lost = digestsTo(w.smtp, 'lost@example.org');
    expect(lost).toHaveLength(2);
    expect(lost[1]!.text).toContain(offer(2).title);
    expect(lost[1]!.text).not.toContain(offer(1).title);
    expect(digestsTo(w.smtp, 'gone@example.org')).toHaveLength(0);

    // `retention` later, a finished digest forgets the offers every digest has passed.
    const items = w.rt.keys.channelData('newsletter', 'item', 'pescara');
    expect(await w.rt.redis.hlen(items)).toBe(2);
    w.clock.offset += 91 * 86_400_000;
    w.office.list = [...w.office.list, offer(3)];
    await w.pollUntilRecorded(3);
    await w.digestPass();
    expect(await w.rt.redis.hkeys(items)).toHaveLength(1);
    expect(digestsTo(w.smtp, 'lost@example.org')).toHaveLength(3);
  });

  it('an offer closed before its digest leaves the outbox and is not sent', async () => {
    world = await startWorld('', '        onRemoval: close\n        closeAfterMissing: 1');
    const w = world;
    const subs = new Subscribers(w.rt.services);
    await subs.importConfirmed('pescara', 'tina@example.org', { places: [], contracts: [], words: [] }, { at: Date.now(), method: 'import' }, 0);
    w.office.list = [offer(1), offer(2)];
    await w.pollUntilRecorded(2);
    w.office.list = [offer(1)];
    await w.rt.poller.poll('pescara', w.office.url);
    const items = w.rt.keys.channelData('newsletter', 'item', 'pescara');
    await waitFor('the closed offer out of the outbox', async () => (await w.rt.redis.hlen(items)) === 1);
    expect(await w.digestPass()).toMatchObject({ sent: 1 });
    const [digest] = digestsTo(w.smtp, 'tina@example.org');
    expect(digest!.text).toContain(offer(1).title);
    expect(digest!.text).not.toContain(offer(2).title);

    // RFC 8058 lets the one-click POST come as multipart/form-data too.
    const token = (await subs.byEmail('pescara', 'tina@example.org'))!.unsubscribeToken!;
    const boundary = 'x-boundary-1';
    const oneClick = await w.app.inject({
      method: 'POST', url: `/iscriviti/pescara/disiscrivi?t=${encodeURIComponent(token)}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(oneClick.statusCode).toBe(200);
    expect((await subs.byEmail('pescara', 'tina@example.org'))?.state).toBe('unsubscribed');
  });

  it('sends at most 3 confirmation e-mails a day to one address, answering the same page', async () => {
    world = await startWorld();
    const w = world;
    const bodies = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const f = await w.app.inject({ method: 'GET', url: '/iscriviti/pescara' });
      const r = await w.app.inject({ method: 'POST', url: '/iscriviti/pescara', payload: { formToken: formToken(f.body), email: 'bersaglio@example.org', consent: 'yes' } });
      expect(r.statusCode).toBe(200);
      bodies.add(r.body);
    }
    expect(bodies.size).toBe(1);
    // The fourth answer came after its refusal was decided: only the three sends started before can arrive.
    await waitFor('three confirmation e-mails', () => w.smtp.to('bersaglio@example.org').length === 3);
    expect(w.smtp.to('bersaglio@example.org')).toHaveLength(3);
  });
});
