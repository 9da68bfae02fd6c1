// SPDX-License-Identifier: EUPL-1.2
/** The generated ANPR table (src/feeds/formats/data/comuni-anpr.tsv) says what the package it came from says. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { belfioreConnector } from '@marketto/belfiore-connector-embedded';
import { placeOf } from '../../../src/feeds/formats/comuni.ts';

const table = readFileSync(fileURLToPath(new URL('../../../src/feeds/formats/data/comuni-anpr.tsv', import.meta.url)), 'utf8');
const codes = table.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t')[0]!);

describe('ANPR comuni table', () => {
  it('names its source, licence and date', () => {
    expect(table).toMatch(/^# Belfiore codes .* ANPR, Ministero dell'Interno, CC-BY-4\.0/);
    expect(table).toMatch(/@marketto\/belfiore-connector-embedded \d+\.\d+\.\d+/);
    expect(table).toMatch(/Latest change recorded in the data: \d{4}-\d{2}-\d{2}/);
    expect(codes.length).toBeGreaterThan(9000);
  });

  it('agrees with @marketto/belfiore-connector-embedded on a sample of codes', async () => {
    const sample = ['G482', 'C632', 'F646', 'G438', 'L103', 'H579', 'M403', 'Z404', ...codes.filter((_, i) => i % 97 === 0)];
    for (const code of sample) {
      const fromPackage = await belfioreConnector.findByCode(code);
      const ours = placeOf(code);
      expect(ours?.name, code).toBe(fromPackage?.name);
      expect(ours?.province, code).toBe('province' in (fromPackage ?? {}) ? (fromPackage as { province?: string }).province : undefined);
    }
  });
});
