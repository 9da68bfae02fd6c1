// SPDX-License-Identifier: EUPL-1.2
/** Pay in Italian (Directive (EU) 2023/970): from ClicLavoro retribuzioneannualorda and JSON-LD baseSalary to {{salary}}. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatSalary } from '../../../src/format/salary.ts';
import { parseFeedBytes } from '../../../src/feeds/pipeline.ts';
import { renderPost } from '../../../src/format/render.ts';
import { compileTemplate, defaultTemplatePath } from '../../../src/format/templates.ts';
import { offer, publisher } from './fixtures.ts';

const ctx = { publisherId: 'p', timezone: 'Europe/Rome', feedUrl: 'https://cpi.example/offerte.json' };
const posting = (baseSalary: unknown) => parseFeedBytes(Buffer.from(JSON.stringify({
  '@context': 'https://schema.org', '@type': 'JobPosting', title: 'Cuoco', url: 'https://cpi.example/1', identifier: 'PE-1', baseSalary,
})), 'application/ld+json', ctx);

describe('formatSalary', () => {
  it('writes amounts, ranges and periods as an Italian vacancy notice does', () => {
    expect(formatSalary({ currency: 'EUR', min: 24000, max: 24000, unit: 'year' })).toBe('€ 24.000 lordi annui');
    expect(formatSalary({ currency: 'EUR', min: 22000, max: 26000, unit: 'year' })).toBe('€ 22.000–26.000 lordi annui');
    expect(formatSalary({ currency: 'EUR', min: 1500, max: 1500, unit: 'month' })).toBe('€ 1.500 lordi mensili');
    expect(formatSalary({ currency: 'EUR', min: 9.5, max: 9.5, unit: 'hour' })).toBe('€ 9,50 lordi orari');
    expect(formatSalary({ currency: 'CHF', min: 5000, max: 5000, unit: 'month' })).toBe('CHF 5.000 lordi mensili');
    expect(formatSalary(undefined)).toBe('');
  });
});

describe('JSON-LD baseSalary', () => {
  it('reads a MonetaryAmount with a value, or minValue and maxValue, and its unitText', () => {
    expect(posting({ '@type': 'MonetaryAmount', currency: 'EUR', value: { '@type': 'QuantitativeValue', value: 24000, unitText: 'YEAR' } }).items[0]!.offer!.salary)
      .toEqual({ currency: 'EUR', min: 24000, max: 24000, unit: 'year' });
    expect(posting({ '@type': 'MonetaryAmount', currency: 'EUR', value: { '@type': 'QuantitativeValue', minValue: 22000, maxValue: '26000', unitText: 'YEAR' } }).items[0]!.offer!.salary)
      .toEqual({ currency: 'EUR', min: 22000, max: 26000, unit: 'year' });
    expect(posting({ '@type': 'MonetaryAmount', currency: 'EUR', value: 1500, unitText: 'MONTH' }).items[0]!.offer!.salary)
      .toEqual({ currency: 'EUR', min: 1500, max: 1500, unit: 'month' });
  });

  it('leaves pay out, with a warning, when the period is not said', () => {
    const feed = posting({ '@type': 'MonetaryAmount', currency: 'EUR', value: 1500 });
    expect(feed.items[0]!.offer!.salary).toBeUndefined();
    expect(feed.problems).toEqual([expect.objectContaining({ path: 'baseSalary', level: 'warning' })]);
  });
});

describe('{{salary}} in the default templates', () => {
  it('shows the pay on both networks, and nothing when there is none', () => {
    for (const network of ['twitter', 'facebook'] as const) {
      const template = compileTemplate(readFileSync(defaultTemplatePath(network), 'utf8'), network);
      expect(template.fields.has('salary')).toBe(true);
      expect(renderPost(offer({ salary: { currency: 'EUR', min: 24000, max: 24000, unit: 'year' } }), publisher(), network, template).post.text).toContain('€ 24.000 lordi annui');
      expect(renderPost(offer(), publisher(), network, template).post.text).not.toContain('💶');
    }
  });
});
