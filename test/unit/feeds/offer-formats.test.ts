// SPDX-License-Identifier: EUPL-1.2
/**
 * The job-offer documents of the employment services (ClicLavoro, MyPortal, HR-Open) through the same
 * parseFeedBytes as feeds, from fixtures written after the XSDs (test/fixtures/offers/) and broken
 * variants of them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFeedBytes, type ParseContext } from '../../../src/feeds/pipeline.ts';
import { FeedError } from '../../../src/feeds/errors.ts';
import { offerKey } from '../../../src/feeds/normalize.ts';
import { placeOf } from '../../../src/feeds/formats/comuni.ts';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/offers');
const fixture = (name: string) => readFileSync(path.join(dir, name), 'utf8');
const LINK = 'https://www.example.it/offerta/{{code}}';
const ctx = (over: Partial<ParseContext> = {}): ParseContext => ({
  publisherId: 'pescara', timezone: 'Europe/Rome', feedUrl: 'https://cpi.example/inbox', now: new Date('2026-11-26T09:00:00Z'), linkTemplate: LINK, ...over,
});
const parse = (xml: string, over: Partial<ParseContext> = {}) => parseFeedBytes(Buffer.from(xml), undefined, ctx(over));
const parseError = (xml: string): string => {
  try { parse(xml); } catch (err) { if (err instanceof FeedError) return err.reason; throw err; }
  throw new Error('expected the document to be refused');
};
const minimal = fixture('cliclavoro-minimal.xml');

describe('ClicLavoro Vacancy', () => {
  it('reads every optional element of the XSD into the offer (and never the employer\'s contacts)', () => {
    const feed = parse(fixture('cliclavoro-full.xml'));
    expect(feed.format).toBe('cliclavoro');
    expect(feed.problems).toEqual([]);
    const [item] = feed.items;
    expect(item!.decision).toBe('post');
    expect(item!.offer).toMatchObject({
      sourceId: '0130PE0000000000000000001', code: '0130PE0000000000000000001', key: offerKey('0130PE0000000000000000001'),
      url: 'https://www.example.it/offerta/0130PE0000000000000000001', title: 'Cameriere di sala',
      location: 'Montesilvano', province: 'PE', employer: 'Hotel Adriatico srl', contract: 'Lavoro a tempo determinato',
      hours: 'Tempo pieno', positions: 2, salary: { currency: 'EUR', min: 24000, max: 24000, unit: 'year' },
      // xs:dateTime without a zone is the publisher's time; xs:date ends at the end of that day in Rome.
      published: '2026-11-20T08:30:00.000Z', validThrough: '2026-12-15T22:59:59.999Z',
      replaces: '0130PE0000000000000000900',
    });
    expect(item!.offer!.text).toBe([
      'Hotel sul lungomare cerca camerieri di sala per la stagione estiva.', 'Servizio colazioni e cene, turni su sei giorni.',
      'Automunito Si', 'Esperienza richiesta: Preferibile anni 2 nel ruolo', "Requisiti: Conoscenza dell'inglese",
      'Conoscenze informatiche: Uso del palmare per le comande', 'Durata: 4 mesi', 'Altre condizioni: Vitto e alloggio & divisa forniti',
    ].join('\n'));
    expect(JSON.stringify(item)).not.toMatch(/0854215000|direzione@hoteladriatico|01234567890|cpi\.pescara@example\.it/);
  });

  it('reads the minimum the XSD requires, in the default namespace', () => {
    const [item] = parse(minimal).items;
    expect(item!.offer).toMatchObject({ code: '0130PE0000000000000000002', title: 'Commesso di banco', location: 'Chieti', province: 'CH', contract: 'Lavoro a tempo indeterminato', positions: 1 });
    expect(item!.offer!.salary).toBeUndefined();
  });

  it('reads a file of several offers: a new one, a re-issue (the same offer, not a second post) and a closed one', () => {
    const feed = parse(fixture('cliclavoro-several.xml'));
    expect(feed.items.map((i) => i.decision)).toEqual(['post', 'post', 'closed']);
    expect(feed.items.map((i) => [i.details?.location, i.details?.province])).toEqual([['Penne', 'PE'], ['Teramo', 'TE'], ['Pescara', 'PE']]);
    expect(feed.items[1]!.offer!.replaces).toBe('0130PE0000000000000000010');
    const closed = feed.items[2]!;
    expect(closed).toMatchObject({ decision: 'closed', key: offerKey('0130PE0000000000000000013'), reason: 'offerta chiusa (01)' });
    expect(closed.details).toMatchObject({ closed: true, closedReason: '01' });
    // visibilita NO: an anonymous offer, the employer is not named.
    expect(closed.details!.employer).toBeUndefined();
  });

  it('gives no link without a template, and says why', () => {
    const feed = parse(minimal, { linkTemplate: undefined });
    expect(feed.items[0]).toMatchObject({ decision: 'no-link', reason: expect.stringMatching(/^manca il link dell'offerta: .*\{\{code\}\}/) });
    expect(feed.problems).toEqual([expect.objectContaining({ path: 'Vacancy', level: 'error', item: 0 })]);
  });

  it('URL-encodes the code in the link template', () => {
    const xml = minimal.replace('0130PE0000000000000000002', '0130PE 00000000000000/002');
    expect(parse(xml).items[0]!.url).toBe('https://www.example.it/offerta/0130PE%2000000000000000%2F002');
  });

  it('refuses an offer without its identity, naming the element', () => {
    const feed = parse(minimal.replace(/<codiceofferta>[^<]*<\/codiceofferta>/, ''));
    expect(feed.items[0]).toMatchObject({ decision: 'invalid', reason: 'Vacancy/DatiSistema/codiceofferta mancante' });
    expect(feed.problems).toContainEqual({ path: 'Vacancy/DatiSistema/codiceofferta', message: 'Vacancy/DatiSistema/codiceofferta mancante', level: 'error', item: 0 });
  });

  it('refuses a bad date, naming the element', () => {
    const feed = parse(minimal.replace('<datascadenza>2026-12-31</datascadenza>', '<datascadenza>31/02/2026</datascadenza>'));
    expect(feed.items[0]!.decision).toBe('invalid');
    expect(feed.items[0]!.reason).toMatch(/^Vacancy\/Richiesta\/DurataRichiesta\/datascadenza non è una data valida \("31\/02\/2026"/);
    expect(parse(minimal.replace('2026-11-24T08:00:00', '2026-02-30T08:00:00')).items[0]!.reason).toMatch(/datapubblicazione non è una data valida/);
  });

  it('shows an unknown contract code as written, with a warning, never a guess', () => {
    const feed = parse(minimal.replace('<idtipologiacontratto>A00</idtipologiacontratto>', '<idtipologiacontratto>Z99</idtipologiacontratto>'));
    expect(feed.items[0]).toMatchObject({ decision: 'post', offer: expect.objectContaining({ contract: 'Z99' }) });
    expect(feed.problems).toEqual([expect.objectContaining({ path: 'Vacancy/Richiesta/CondizioniOfferte/idtipologiacontratto', level: 'warning' })]);
  });

  it('knows every contract code of the table', () => {
    const names = ['A00', 'A01', 'A02', 'A03', 'A04', 'A05', 'A06'].map((c) => parse(minimal.replace('>A00<', `>${c}<`)).items[0]!.details!.contract);
    expect(names).toEqual(['Lavoro a tempo indeterminato', 'Lavoro a tempo determinato', 'Apprendistato', 'Tirocinio', 'Lavoro accessorio', 'Lavoro autonomo', 'Contratto di collaborazione']);
  });

  it('gives no place for an unknown comune or 0000, with a warning; a merged comune keeps its name, with a warning', () => {
    const unknown = parse(minimal.replace(/<idcomune>C632<\/idcomune>/g, '<idcomune>A000</idcomune>'));
    expect(unknown.items[0]!.decision).toBe('post');
    expect(unknown.items[0]!.offer!.location).toBeUndefined();
    expect(unknown.problems[0]!.message).toBe('Vacancy/Richiesta/CondizioniOfferte/idcomune "A000" non è un codice di comune noto (elenco ANPR): luogo di lavoro non indicato');
    const none = parse(minimal.replace(/<idcomune>C632<\/idcomune>/g, '<idcomune>0000</idcomune>'));
    expect(none.items[0]!.offer!.location).toBeUndefined();
    expect(none.problems[0]!.level).toBe('warning');
    // Rossano (CS) merged into Corigliano-Rossano on 31 March 2018.
    const merged = parse(minimal.replace(/<idcomune>C632<\/idcomune>/g, '<idcomune>H579</idcomune>'));
    expect(merged.items[0]!.offer).toMatchObject({ location: 'Rossano', province: 'CS' });
    expect(merged.problems[0]!.message).toMatch(/"H579" è il codice di Rossano, comune cessato il 2018-03-31/);
  });

  it('refuses a truncated file and an entity bomb', () => {
    expect(parseError(fixture('cliclavoro-full.xml').slice(0, -200))).toBe('truncated XML (the root element is never closed)');
    const bomb = `<?xml version="1.0"?><!DOCTYPE Vacancy [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>${minimal.replace(/^<\?xml[^>]*>\s*<!--[^>]*-->\s*/, '').replace('Commesso di banco', '&b;')}`;
    expect(parseError(bomb)).toMatch(/entities in its DOCTYPE/);
  });

  it('refuses a document that is not well-formed, naming the line', () => {
    expect(parseError(minimal.replace('</descrprofessione>', '</descrprofession>'))).toMatch(/^XML non valido alla riga \d+, colonna \d+/);
  });
});

describe('Belfiore codes (ANPR list of comuni)', () => {
  it('resolves the comuni of the Pescara area to name and province', () => {
    expect(['G482', 'C632', 'F646', 'G438', 'L103'].map((c) => placeOf(c))).toEqual([
      { code: 'G482', name: 'Pescara', province: 'PE' }, { code: 'C632', name: 'Chieti', province: 'CH' },
      { code: 'F646', name: 'Montesilvano', province: 'PE' }, { code: 'G438', name: 'Penne', province: 'PE' },
      { code: 'L103', name: 'Teramo', province: 'TE' },
    ]);
    expect(placeOf('H579')).toEqual({ code: 'H579', name: 'Rossano', province: 'CS', ceased: '2018-03-31' });
    expect(placeOf('A000')).toBeUndefined();
    expect(placeOf('0000')).toBeUndefined();
  });
});

describe('MyPortal Vacancy', () => {
  it('reads every optional element (cod* names, 0..n contracts and hours, S/N, number/year/provenance identity)', () => {
    const feed = parse(fixture('myportal-full.xml'));
    expect(feed.format).toBe('myportal');
    expect(feed.problems).toEqual([]);
    expect(feed.items[0]!.offer).toMatchObject({
      sourceId: '12345/2026/SILER', code: '12345/2026', title: 'Tornitore CNC', location: 'Teramo', province: 'TE',
      employer: 'Officine Meccaniche Teramane spa', contract: 'Lavoro a tempo determinato, Apprendistato', hours: 'Tempo pieno, Part-time',
      positions: 3, salary: { currency: 'EUR', min: 28000, max: 28000, unit: 'year' },
      published: '2026-11-22T23:00:00.000Z', validThrough: '2026-12-23T22:59:59.999Z',
      url: 'https://www.example.it/offerta/12345%2F2026',
    });
    expect(JSON.stringify(feed.items[0])).not.toMatch(/Bianchi|Verdi|340 7654321|0861 123456|@omt\.example|gmail/);
  });

  it('reads the minimum, without a namespace (the XSD declares none)', () => {
    const feed = parse(fixture('myportal-minimal.xml'));
    expect(feed.format).toBe('myportal');
    expect(feed.items[0]!.offer).toMatchObject({ sourceId: '778/2026/MYPORTAL', title: 'Barista', location: 'Pescara', province: 'PE', text: '' });
  });

  it('refuses an offer without its required deadline or its year', () => {
    const xml = fixture('myportal-minimal.xml');
    expect(parse(xml.replace(/<datascadenzapubblicazione>[^<]*<\/datascadenzapubblicazione>/, '')).items[0]!.reason)
      .toBe('Vacancy/Richiesta/DurataRichiesta/datascadenzapubblicazione mancante');
    expect(parse(xml.replace('<annoofferta>2026</annoofferta>', '')).items[0]!.reason).toBe('Vacancy/DatiSistema/annoofferta mancante');
  });

  it('shows an unknown contract code as written, with a warning', () => {
    const feed = parse(fixture('myportal-full.xml').replace('<codtipologiacontratto>AP</codtipologiacontratto>', '<codtipologiacontratto>X9</codtipologiacontratto>'));
    expect(feed.items[0]!.offer!.contract).toBe('Lavoro a tempo determinato, X9');
    expect(feed.problems.map((p) => p.level)).toEqual(['warning']);
  });
});

describe('HR-Open PositionOpening', () => {
  it('reads the Italian profile: title, OAGIS city, employer, quantity, HTML description as text, close date', () => {
    const feed = parse(fixture('hropen-full.xml'));
    expect(feed.format).toBe('hr-open');
    expect(feed.problems).toEqual([]);
    expect(feed.items[0]!.offer).toMatchObject({
      sourceId: 'EURES-IT-PE-2026-0042', code: 'EURES-IT-PE-2026-0042', title: 'Pizzaiolo', location: 'Pescara', province: 'PE',
      employer: 'Pizzeria Vesuvio & Figli', positions: 2, contract: 'Lavoro stagionale', hours: 'Tempo pieno',
      validThrough: '2027-01-31T22:59:59.999Z', published: '2026-11-18T23:00:00.000Z',
      text: 'Chi cerchiamo\nPizzaiolo con forno a legna, stagione estiva.\nVitto e alloggio\nCome candidarsi: Candidature tramite il portale EURES.',
    });
  });

  it('reads the minimum', () => {
    expect(parse(fixture('hropen-minimal.xml')).items[0]!.offer).toMatchObject({ sourceId: 'EURES-IT-PE-2026-0043', title: 'Addetto alle pulizie' });
  });

  it('closes an offer whose status is not Active, and refuses one without DocumentID', () => {
    const xml = fixture('hropen-minimal.xml');
    expect(parse(xml.replace('<PositionOpeningStatusCode>Active', '<PositionOpeningStatusCode>Closed')).items[0])
      .toMatchObject({ decision: 'closed', details: expect.objectContaining({ closed: true, closedReason: 'Closed' }) });
    expect(parse(xml.replace(/<DocumentID>[^<]*<\/DocumentID>/, '')).items[0]).toMatchObject({ decision: 'invalid', reason: 'PositionOpening/DocumentID mancante' });
  });

  it('reads a wrapper with several PositionOpenings, naming each in problems', () => {
    const one = fixture('hropen-minimal.xml').replace(/^<\?xml[^>]*>\s*<!--[^>]*-->\s*/, '');
    const two = one.replace('EURES-IT-PE-2026-0043', '').replace('Addetto alle pulizie', 'Giardiniere');
    const feed = parse(`<?xml version="1.0"?><PositionOpenings>${one}${two}</PositionOpenings>`);
    expect(feed.items.map((i) => i.decision)).toEqual(['post', 'invalid']);
    expect(feed.problems[0]).toMatchObject({ path: 'PositionOpenings/PositionOpening[2]/DocumentID', item: 1 });
  });
});

describe('formats and feeds side by side', () => {
  it('still reads RSS exactly as before, and an unknown XML document is still not a feed', () => {
    const rss = '<rss version="2.0"><channel><title>t</title><item><title>A</title><link>https://cpi.example/1</link></item></channel></rss>';
    expect(parse(rss, { linkTemplate: undefined })).toMatchObject({ format: 'rss', problems: [], items: [{ decision: 'post', url: 'https://cpi.example/1' }] });
    expect(parseError('<?xml version="1.0"?><catalog><book>x</book></catalog>')).toMatch(/not a feed|invalid feed/);
  });
});

describe('an export with no offers', () => {
  it('is an empty list of its format, not an unknown document', () => {
    expect(parse('<Vacancies xmlns="http://servizi.lavoro.gov.it/vacancy"/>')).toEqual({ format: 'cliclavoro', items: [], problems: [] });
  });
});
