// SPDX-License-Identifier: EUPL-1.2
/**
 * No personal data in posts: e-mail addresses and phone numbers leave every text of every source, the
 * sentence that carried them becomes the office's way to apply, and the office's own addresses stay.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { APPLY_SENTENCE, allowedContacts, describeRemoved, findContacts, scrubField, scrubProse } from '../../../src/feeds/contacts.ts';
import { parseFeedBytes } from '../../../src/feeds/pipeline.ts';
import { renderPost } from '../../../src/format/render.ts';
import { compileTemplate, defaultTemplatePath } from '../../../src/format/templates.ts';
import { previewLines } from '../../../src/format/preview.ts';
import { publisher } from '../format/fixtures.ts';
import { createI18n } from '../../../src/i18n/index.ts';

const none = allowedContacts([]);
const found = (s: string) => findContacts(s, none).map((m) => `${m.kind}:${s.slice(m.start, m.end)}`);

describe('finding contacts', () => {
  it('finds Italian mobile and landline numbers in their usual forms, and e-mail addresses', () => {
    for (const phone of ['333 1234567', '+39 085 1234567', '085/123456', '3331234567', '333-123.4567', '0039 333 1234567', '(+39) 06 12345678', '06 1234 5678', '085 421 50 00', '0861.123456', '+44 20 7946 0958']) {
      expect(found(`chiamare il ${phone} oggi`)).toEqual([`phone:${phone}`]);
    }
    expect(found('scrivere a mario.rossi75@gmail.com.')).toEqual(['email:mario.rossi75@gmail.com']);
    expect(found('scrivere a mario.rossi[at]gmail.com')).toEqual(['email:mario.rossi[at]gmail.com']);
    // The dot written out too, as people do to hide an address from robots.
    expect(found('scrivere a mario.rossi [at] gmail [dot] com')).toEqual(['email:mario.rossi [at] gmail [dot] com']);
    expect(found('oppure a anna.verdi(at)libero(punto)it, grazie')).toEqual(['email:anna.verdi(at)libero(punto)it']);
  });

  it('does not eat dates, times, codes, CAPs, prices or years', () => {
    for (const text of ['Scadenza 15/12/2026', 'dal 01.02.2026 al 05-12-2026', 'orario 08.30-12.30', 'CAP 65121', '00100 Roma', '€ 24.000', '1.500 €',
      'anno 2026', 'rif. 0851234567', 'codice 0130PE0000000000000000001', '0000000000000000000000001', 'ISTAT 5.2.2.3.0', 'ATECO 56.10.11',
      'stagione 2025-2026', '3.500 euro lordi', 'ore 9.00-13.00', 'posti 3, 24 ore settimanali']) {
      expect(found(text), text).toEqual([]);
    }
    expect(found('00100 Roma, tel. 06 1234567')).toEqual(['phone:06 1234567']);
  });
});

describe('scrubbing', () => {
  it('replaces the sentence that carried a contact (and the contact person named next to it) by the way to apply, once', () => {
    const r = scrubProse('Ristorante cerca cameriere. Inviare il curriculum a mario.rossi@gmail.com o chiamare il 333 1234567.\nContattare ROSSI MARIO\nTel. 333 7654321\nScadenza 15/12/2026.', none);
    expect(r.text).toBe(`Ristorante cerca cameriere. ${APPLY_SENTENCE}\nScadenza 15/12/2026.`);
    expect(r.removed).toEqual({ emails: 1, phones: 2, names: 1 });
    expect(describeRemoved(r.removed)).toBe('tolti 1 indirizzo e-mail, 2 numeri di telefono e 1 nome di persona');
    expect(describeRemoved({ emails: 1, phones: 1, names: 0 })).toBe('tolti 1 indirizzo e-mail e 1 numero di telefono');
  });

  it('keeps the publisher\'s own addresses and numbers', () => {
    const allowed = allowedContacts(['preselezione.pescara@example.it', '085 1234567']);
    const text = 'Per informazioni: preselezione.pescara@example.it oppure +39 085/1234567.';
    expect(scrubProse(text, allowed)).toEqual({ text, removed: { emails: 0, phones: 0, names: 0 } });
  });

  it('takes only the contact and its label out of a one-line field', () => {
    expect(scrubField('Ditta Rossi – tel. 085 123456', none).text).toBe('Ditta Rossi');
    expect(scrubField('Cameriere (cell. 333 1234567)', none).text).toBe('Cameriere');
  });
});

const fixture = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/offers/cliclavoro-named.xml'));
const ctx = { publisherId: 'pescara', timezone: 'Europe/Rome', feedUrl: 'https://cpi.example/inbox', now: new Date('2026-11-26T09:00:00Z'), linkTemplate: 'https://www.example.it/offerta/{{code}}', allowedContacts: ['preselezione.pescara@example.it'] };
const PERSONAL = /ROSSI|MARIO|mario\.rossi75|gmail|333[\s.-]?1234567|1234567/i;

describe('a named offer from a SIL', () => {
  const item = parseFeedBytes(fixture, undefined, ctx).items[0]!;
  const pub = publisher({ allowedContacts: ['preselezione.pescara@example.it'] });

  it('loses the contact person, the mobile and the private e-mail, keeps the office\'s mailbox and says what went', () => {
    expect(item.decision).toBe('post');
    expect(JSON.stringify(item)).not.toMatch(PERSONAL);
    expect(item.offer!.text).toBe(`Ristorante in centro cerca aiuto cuoco per il pranzo.\n${APPLY_SENTENCE}\nPer informazioni: preselezione.pescara@example.it`);
    expect(item.offer!.removedContacts).toEqual({ emails: 1, phones: 1, names: 1 });
  });

  it('appears in no rendered post of either network, which name the office and the offer\'s code', () => {
    for (const network of ['twitter', 'facebook'] as const) {
      const template = compileTemplate(readFileSync(defaultTemplatePath(network), 'utf8'), network);
      const post = renderPost(item.offer!, pub, network, template).post.text;
      expect(post).not.toMatch(PERSONAL);
      expect(post).toContain('Provincia di Pescara');
      expect(post).toContain('0130PE0000000000000000020');
      expect(previewLines(item.offer!, pub, network, template, createI18n('it')).join('\n')).toContain('tolti 1 indirizzo e-mail, 1 numero di telefono e 1 nome di persona');
    }
  });
});

describe('feeds too', () => {
  it('takes contacts out of RSS titles and descriptions', () => {
    const rss = `<rss version="2.0"><channel><title>t</title><item><title>Barista - cell. 333 1234567</title><link>https://cpi.example/1</link>
      <description>&lt;p&gt;Bar cerca barista.&lt;/p&gt;&lt;p&gt;Inviare CV a giulia.b@libero.it&lt;/p&gt;</description></item></channel></rss>`;
    const item = parseFeedBytes(Buffer.from(rss), undefined, { publisherId: 'p', timezone: 'Europe/Rome', feedUrl: 'https://cpi.example/rss' }).items[0]!;
    expect(item.title).toBe('Barista');
    expect(item.text).toBe(`Bar cerca barista.\n${APPLY_SENTENCE}`);
    expect(item.removedContacts).toEqual({ emails: 1, phones: 1, names: 0 });
  });
});
