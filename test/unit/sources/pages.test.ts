// SPDX-License-Identifier: EUPL-1.2
/**
 * Portal pages (issue 12): the myportal preset and an office's own selectors read fixture pages written
 * after the regional template ("Lavoro per Te" / MyPortal, /work/shared/sources.md §5): only offer links
 * are found on a listing (never navigation, news, privacy, other sites), and an offer page becomes the
 * same offer a feed would give (title, code, place, contract, dates in Europe/Rome, contacts removed).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findOfferLinks } from '../../../src/sources/pages/listing.ts';
import { readOfferPage, selectorSpec } from '../../../src/sources/pages/offer-page.ts';
import { myportal } from '../../../src/sources/pages/myportal.ts';
import { parseRawItems } from '../../../src/feeds/pipeline.ts';
import { configSchema, pageSchema, publisherSchema } from '../../../src/config/schema.ts';

const DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/pages');
const fixture = (name: string) => readFileSync(path.join(DIR, name), 'utf8');
const BASE = 'https://lavoro.example.test';
const ctx = { publisherId: 'bologna', timezone: 'Europe/Rome', feedUrl: `${BASE}/welcomepage/`, now: new Date('2026-12-01T10:00:00Z') };

function offerOf(html: string, url: string, spec = myportal, allowedContacts: string[] = []) {
  const parsed = parseRawItems('portal-page', [readOfferPage(html, url, spec)], { ...ctx, allowedContacts });
  return parsed.items[0]!;
}

describe('myportal listing', () => {
  it('finds only the offer pages of the same host, each once, without the #fragment', () => {
    const links = findOfferLinks(fixture('myportal/listing.html'), `${BASE}/welcomepage/`, myportal);
    expect(links.map((l) => l.url)).toEqual([
      `${BASE}/welcomepage/vacancy/view/101`,
      `${BASE}/offerte-lavoro/modena/magazziniere/102`,
      `${BASE}/welcomepage/vacancy/view/103`,
    ]);
  });

  it('never offers navigation, news, search, privacy, mail, javascript or social links', () => {
    const urls = findOfferLinks(fixture('myportal/listing.html'), `${BASE}/welcomepage/`, myportal).map((l) => l.url).join(' ');
    for (const bad of ['/news', '/privacy', '/cookie', '/login', '/search', 'mailto:', 'javascript:', 'facebook.com', 'altrosito', '/cittadini']) expect(urls).not.toContain(bad);
  });

  it('one offer linked by its number and by its readable slug is one offer (posted once), fetched by the first link', () => {
    const html = '<a href="/offerte-lavoro/bologna/cuoco/101">Cuoco</a> <a href="/welcomepage/vacancy/view/101">Cuoco/a (M/F)</a> <a href="/welcomepage/vacancy/view/1010">Altro</a>';
    const links = findOfferLinks(html, `${BASE}/welcomepage/`, myportal);
    expect(links.map((l) => [l.url, l.id])).toEqual([
      [`${BASE}/offerte-lavoro/bologna/cuoco/101`, `${BASE}/welcomepage/vacancy/view/101`],
      [`${BASE}/welcomepage/vacancy/view/1010`, `${BASE}/welcomepage/vacancy/view/1010`],
    ]);
    const bySlug = offerOf(fixture('myportal/offer-full.html'), `${BASE}/offerte-lavoro/bologna/cuoco/101`).offer!;
    const byNumber = offerOf(fixture('myportal/offer-full.html'), `${BASE}/welcomepage/vacancy/view/101`).offer!;
    expect(bySlug.key).toBe(byNumber.key);
    expect(bySlug.url).toBe(`${BASE}/offerte-lavoro/bologna/cuoco/101`);
  });

  it("an entry changes when the listing's text for that offer changes, and only then", () => {
    const html = fixture('myportal/listing.html');
    const before = findOfferLinks(html, `${BASE}/welcomepage/`, myportal);
    const again = findOfferLinks(html, `${BASE}/welcomepage/`, myportal);
    const edited = findOfferLinks(html.replace('Cuoco/a (M/F)</a>', 'Cuoco/a capo partita (M/F)</a>'), `${BASE}/welcomepage/`, myportal);
    expect(again).toEqual(before);
    expect(edited[0]!.entry).not.toBe(before[0]!.entry);
    expect(edited[1]!.entry).toBe(before[1]!.entry);
  });
});

describe('myportal offer page', () => {
  it('with every field: title, code, place, contract, hours, positions, ISTAT, publication and deadline (end of that day in Rome)', () => {
    const item = offerOf(fixture('myportal/offer-full.html'), `${BASE}/welcomepage/vacancy/view/101`);
    expect(item.decision).toBe('post');
    const o = item.offer!;
    expect(o.title).toBe('Cuoco/a (M/F)');
    expect(o.url).toBe(`${BASE}/welcomepage/vacancy/view/101`);
    expect(o.sourceId).toBe(`${BASE}/welcomepage/vacancy/view/101`);
    expect(o.code).toBe('12345/2026');
    expect(o.location).toBe('Bologna (BO)');
    expect(o.contract).toBe('Lavoro a tempo determinato');
    expect(o.hours).toBe('Tempo pieno');
    expect(o.positions).toBe(2);
    expect(o.raw?.['qualificaIstat']).toBe('5.2.2.1.0 - Cuochi in alberghi e ristoranti');
    expect(o.published).toBe('2026-11-20T08:30:00.000Z'); // 09:30 in Rome (CET)
    expect(o.validThrough).toBe('2026-12-31T22:59:59.999Z'); // the end of 31 December in Rome
    expect(o.text).toContain('cucina tradizionale emiliana');
  });

  it('takes the personal e-mail and mobile number out of the text; nothing of the navigation or footer gets in', () => {
    const o = offerOf(fixture('myportal/offer-full.html'), `${BASE}/welcomepage/vacancy/view/101`).offer!;
    expect(o.text).not.toMatch(/mario\.rossi|333/);
    expect(o.text).toContain("Per candidarsi usare il link dell'offerta.");
    expect(o.removedContacts).toMatchObject({ emails: 1, phones: 1 });
    expect(`${o.title} ${o.text}`).not.toMatch(/Privacy|Home|Diploma|Trattoria/);
  });

  it("keeps the office's own contacts listed in allowedContacts", () => {
    const html = fixture('myportal/offer-full.html').replace('mario.rossi@gmail.com oppure chiamare il 333 1234567', 'preselezione.bologna@regione.example.it');
    const o = offerOf(html, `${BASE}/welcomepage/vacancy/view/101`, myportal, ['preselezione.bologna@regione.example.it']).offer!;
    expect(o.text).toContain('preselezione.bologna@regione.example.it');
    expect(o.removedContacts).toBeUndefined();
  });

  it('with the minimum (a title): an offer without code, place or dates', () => {
    const item = offerOf(fixture('myportal/offer-minimal.html'), `${BASE}/offerte-lavoro/modena/magazziniere/102`);
    expect(item.decision).toBe('post');
    expect(item.offer).toMatchObject({ title: 'Magazziniere (M/F)', url: `${BASE}/offerte-lavoro/modena/magazziniere/102`, text: '' });
    expect(item.offer!.location).toBeUndefined();
    expect(item.offer!.validThrough).toBeUndefined();
  });

  it('a broken page (an error page, unclosed markup) is not posted: no title, and no crash', () => {
    const item = offerOf(fixture('myportal/offer-broken.html'), `${BASE}/welcomepage/vacancy/view/103`);
    expect(item.decision).toBe('no-title');
    expect(item.offer).toBeUndefined();
    expect(item.key).toBeDefined(); // still the identity of a listed offer, for presence
  });

  it('a deadline already past makes the offer expired, not posted', () => {
    const html = fixture('myportal/offer-full.html').replace('( 31-12-2026 )', '( 30-11-2026 )');
    expect(offerOf(html, `${BASE}/welcomepage/vacancy/view/101`).decision).toBe('expired');
  });

  it('survives hostile input (deep nesting, a huge page) quickly', () => {
    const deep = `<h3 class="white-heading">X</h3>${'<div>'.repeat(50_000)}`;
    const started = Date.now();
    expect(offerOf(deep, `${BASE}/welcomepage/vacancy/view/1`).offer!.title).toBe('X');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe("an office's own selectors", () => {
  const spec = selectorSpec('table.offerte a.offerta', {
    title: 'h1.titolo', code: 'dd.codice', place: 'dd.sede', contract: 'dd.contratto', deadline: 'dd.scadenza', published: 'dd.pubblicata', text: 'div.descrizione',
  });

  it('the listing yields the links the selector picks, resolved against the listing', () => {
    const links = findOfferLinks(fixture('custom/listing.html'), 'https://cpi.example.test/offerte/', spec);
    expect(links.map((l) => l.url)).toEqual(['https://cpi.example.test/offerte/scheda.php?id=7', 'https://cpi.example.test/offerte/scheda.php?id=8']);
  });

  it('an offer page yields every field the selectors name', () => {
    const o = offerOf(fixture('custom/offer.html'), 'https://cpi.example.test/offerte/scheda.php?id=7', spec).offer!;
    expect(o).toMatchObject({ title: 'Autista patente C (M/F)', code: 'PE-2026-0007', location: 'Pescara (PE)', contract: 'Tempo indeterminato' });
    expect(o.published).toBe('2026-11-20T23:00:00.000Z'); // the start of 21 November in Rome
    expect(o.validThrough).toBe('2027-01-15T22:59:59.999Z');
    expect(o.text).toBe('Azienda di trasporti cerca autista con patente C e CQC.\nContattare il CPI di Pescara.');
  });

  it('a selector matching nothing leaves the field out; a title selector matching nothing makes the page unusable', () => {
    const none = selectorSpec('a', { title: 'h1.absent' });
    expect(offerOf(fixture('custom/offer.html'), 'https://cpi.example.test/x', none).decision).toBe('no-title');
  });
});

describe('config: publishers[].pages', () => {
  it('a preset alone, with defaults', () => {
    const p = pageSchema.parse({ url: `${BASE}/welcomepage/`, preset: 'myportal' });
    expect(p).toMatchObject({ pollInterval: 15 * 60_000, onFirstPoll: 'skip', closeAfterMissing: 3, maxNewPerPoll: 20, onRemoval: 'ignore' });
  });

  it('own links and fields instead of a preset', () => {
    expect(pageSchema.safeParse({ url: BASE, links: 'a.offerta', fields: { title: 'h1' } }).success).toBe(true);
  });

  it('refuses both, neither, links without fields, an unknown preset or field', () => {
    for (const bad of [
      { url: BASE, preset: 'myportal', links: 'a', fields: { title: 'h1' } },
      { url: BASE },
      { url: BASE, links: 'a' },
      { url: BASE, preset: 'wordpress' },
      { url: BASE, links: 'a', fields: { title: 'h1', salary: '.x' } },
    ]) expect(pageSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  const channels = { twitter: { appKey: 'k', appSecret: 's', accessToken: 't', accessSecret: 'u' } };
  it('a publisher may have pages and no feeds; with no source at all it is refused', () => {
    expect(publisherSchema.safeParse({ id: 'bologna', name: 'CPI Bologna', pages: [{ url: BASE, preset: 'myportal' }], channels }).success).toBe(true);
    const none = configSchema.safeParse({ dashboard: { username: 'op', password: 'pw' }, publishers: [{ id: 'bologna', name: 'CPI Bologna', channels }] });
    expect(none.success).toBe(false);
    expect(JSON.stringify(none.error?.issues)).toContain('config_sourcesNeeded');
  });
});
