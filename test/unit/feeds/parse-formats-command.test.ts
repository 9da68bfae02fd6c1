// SPDX-License-Identifier: EUPL-1.2
/** `banditore parse` on the employment services' documents (a CLI test like parse-command.test.ts). */
import { mkdtempSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runParse } from '../../../src/cli/commands/parse.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/offers');
let dir: string;
let several: string;
let named: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'banditore-parse-formats-'));
  several = path.join(dir, 'export.xml');
  named = path.join(dir, 'nominativa.xml');
  copyFileSync(path.join(fixtures, 'cliclavoro-several.xml'), several);
  copyFileSync(path.join(fixtures, 'cliclavoro-named.xml'), named);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('banditore parse on ClicLavoro files', () => {
  it('--json prints one object per offer with format, code, place, contract, deadline, link, closed and replaces', async () => {
    const c = capture();
    expect(await runParse(['--json', '--link', 'https://www.example.it/offerta/{{code}}', several], c.io)).toBe(0);
    const rows = c.out.map((l) => JSON.parse(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      source: several, format: 'cliclavoro', code: '0130PE0000000000000000011', title: 'Apprendista parrucchiere',
      location: 'Penne', province: 'PE', contract: 'Apprendistato', deadline: '31/12/2026', validThrough: '2026-12-31T22:59:59.999Z',
      url: 'https://www.example.it/offerta/0130PE0000000000000000011', decision: 'post', closed: false, replaces: null,
    });
    expect(rows[1]).toMatchObject({ location: 'Teramo', province: 'TE', replaces: '0130PE0000000000000000010', decision: 'post' });
    expect(rows[2]).toMatchObject({ decision: 'closed', closed: true, closedReason: '01', reason: 'offerta chiusa (01)' });
  });

  it('says why there is no link without a template, and what personal data it removed', async () => {
    const c = capture();
    expect(await runParse(['--json', several, named], c.io)).toBe(0);
    const rows = c.out.map((l) => JSON.parse(l));
    expect(rows[0]).toMatchObject({ decision: 'no-link', url: null, reason: expect.stringMatching(/^manca il link dell'offerta/) });
    expect(rows[3]).toMatchObject({ removed: 'tolti 2 indirizzi e-mail, 1 numero di telefono e 1 nome di persona' });
    expect(c.out.join('\n')).not.toMatch(/mario\.rossi75|333 1234567|ROSSI MARIO/);
  });

  it('takes the link template and the allowed contacts from the publisher\'s config', async () => {
    const c = capture();
    const io = { ...c.io, loadPublisher: (_file: string, id: string) => ({ id, timezone: 'Europe/Rome', linkTemplate: 'https://cpi.example/o/{{code}}', allowedContacts: ['preselezione.pescara@example.it'] }) };
    expect(await runParse(['--json', '--publisher', 'pescara', '--config', 'cfg.yaml', named], io)).toBe(0);
    const row = JSON.parse(c.out[0]!);
    expect(row).toMatchObject({ url: 'https://cpi.example/o/0130PE0000000000000000020', decision: 'post', removed: 'tolti 1 indirizzo e-mail, 1 numero di telefono e 1 nome di persona' });
    expect(row.text).toContain('preselezione.pescara@example.it');
  });

  it('prints each offer\'s facts under the table', async () => {
    const c = capture();
    expect(await runParse(['--link', 'https://www.example.it/offerta/{{code}}', several], c.io)).toBe(0);
    expect(c.out[0]).toBe(`${several}  (cliclavoro, 3 voci: 2 da pubblicare, 1 chiusa)`);
    const text = c.out.join('\n');
    expect(text).toContain('luogo: Penne (PE) · contratto: Apprendistato · posti: 1 · scadenza: 31/12/2026');
    expect(text).toContain("sostituisce l'offerta 0130PE0000000000000000010");
    expect(text).toContain('offerta chiusa (01)');
  });

  it('refuses a link template without {{code}}', async () => {
    const c = capture();
    expect(await runParse(['--link', 'https://www.example.it/offerta', several], c.io)).toBe(2);
    expect(c.err[0]).toBe('banditore parse: --link: il modello di link deve contenere {{code}}');
  });
});
