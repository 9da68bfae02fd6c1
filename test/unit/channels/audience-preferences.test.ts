// SPDX-License-Identifier: EUPL-1.2
import { describe, expect, it } from 'vitest';
import { contractKindsOf, matches, placeMatches, preferencesSchema, type Preferences } from '../../../src/channels/audience/preferences.ts';
import type { JobOffer } from '../../../src/domain/offer.ts';

const offer = (o: Partial<JobOffer>): JobOffer => ({
  publisherId: 'pescara', sourceId: 'x', key: 'k', url: 'https://www.example.it/o/1', title: 'Cuoco/a', text: '', contentHash: 'h', feedUrl: 'f', ...o,
});
const prefs = (p: Partial<Preferences>): Preferences => preferencesSchema.parse(p);

describe('follower preferences', () => {
  it('an empty preference takes every offer', () => {
    expect(matches(offer({}), prefs({}))).toBe(true);
  });

  it('places: a comune by its name (accents, apostrophes and a province in brackets aside), a province by its sigla', () => {
    const o = offer({ location: "Città Sant'Angelo (PE)", province: 'PE' });
    expect(placeMatches(o, 'citta sant angelo')).toBe(true);
    expect(placeMatches(o, 'PE')).toBe(true);
    expect(placeMatches(o, 'pe')).toBe(true);
    expect(placeMatches(o, 'CH')).toBe(false);
    expect(placeMatches(o, 'Pescara')).toBe(false);
    expect(matches(o, prefs({ places: ['Chieti', 'PE'] }))).toBe(true);
    expect(matches(o, prefs({ places: ['Chieti'] }))).toBe(false);
    expect(matches(offer({}), prefs({ places: ['PE'] }))).toBe(false);
  });

  it('kinds of contract come only from what the offer says', () => {
    expect(contractKindsOf({ contract: 'Lavoro a tempo indeterminato', title: 'x' })).toEqual(['indeterminato']);
    expect(contractKindsOf({ contract: 'Tempo determinato 6 mesi', hours: 'Part-time 20 ore', title: 'x' })).toEqual(['determinato', 'part-time']);
    expect(contractKindsOf({ contract: 'Apprendistato professionalizzante', title: 'x' })).toEqual(['apprendistato']);
    expect(contractKindsOf({ title: 'Tirocinio extracurricolare in ufficio' })).toEqual(['tirocinio']);
    expect(contractKindsOf({ contract: 'Contratto di somministrazione', title: 'Magazziniere' })).toEqual(['somministrazione']);
    expect(contractKindsOf({ title: 'Impiegato (riservato L. 68/99)' })).toEqual(['categorie-protette']);
    expect(contractKindsOf({ title: 'Cuoco' })).toEqual([]);
    expect(matches(offer({ contract: 'Tempo indeterminato' }), prefs({ contracts: ['determinato'] }))).toBe(false);
    expect(matches(offer({ contract: 'Tempo indeterminato' }), prefs({ contracts: ['determinato', 'indeterminato'] }))).toBe(true);
    expect(matches(offer({}), prefs({ contracts: ['tirocinio'] }))).toBe(false);
  });

  it('words: any of them begins a word of the title', () => {
    const o = offer({ title: 'Addetto/a alla ristorazione – Cuoco capo partita' });
    expect(matches(o, prefs({ words: ['cuoc'] }))).toBe(true);
    expect(matches(o, prefs({ words: ['ristorazione', 'idraulico'] }))).toBe(true);
    expect(matches(o, prefs({ words: ['uoco'] }))).toBe(false);
    expect(matches(o, prefs({ words: ['idraulico'] }))).toBe(false);
  });

  it('every list that is set must be met', () => {
    const o = offer({ title: 'Cuoco', location: 'Penne', province: 'PE', contract: 'Stagionale' });
    expect(matches(o, prefs({ places: ['PE'], contracts: ['stagionale'], words: ['cuoco'] }))).toBe(true);
    expect(matches(o, prefs({ places: ['PE'], contracts: ['stagionale'], words: ['barista'] }))).toBe(false);
  });

  it('refuses what a form or an import must not carry', () => {
    expect(() => preferencesSchema.parse({ contracts: ['a-chiamata'] })).toThrow();
    expect(() => preferencesSchema.parse({ places: ['x'.repeat(81)] })).toThrow();
    expect(() => preferencesSchema.parse({ other: 1 })).toThrow();
  });
});
