// SPDX-License-Identifier: EUPL-1.2
import { describe, expect, it } from 'vitest';
import { buildHashtags, camelCase, dedupeTags, placeTag } from '../../../src/format/hashtags.ts';
import { publisher } from './fixtures.ts';

describe('hashtags', () => {
  it('turns a place into a CamelCase tag, keeping accents and dropping punctuation', () => {
    expect(placeTag('Pescara')).toBe('#LavoroPescara');
    expect(placeTag("Città Sant'Angelo")).toBe('#LavoroCittàSantAngelo');
    expect(placeTag('Città Sant’Angelo')).toBe('#LavoroCittàSantAngelo');
    expect(placeTag('san valentino in abruzzo citeriore')).toBe('#LavoroSanValentinoInAbruzzoCiteriore');
    expect(placeTag('PIANELLA')).toBe('#LavoroPianella');
    expect(placeTag('Castiglione a Casauria (PE)')).toBe('#LavoroCastiglioneACasauria');
    expect(placeTag('')).toBeNull();
    expect(placeTag('  -- ')).toBeNull();
    expect(camelCase('bolognano-scafa')).toBe('BolognanoScafa');
  });

  it('combines channel, publisher and place tags, one # each, deduplicated case-insensitively', () => {
    const p = publisher({ hashtags: ['#lavoro', 'CPI Pescara', 'lavoroPescara'] }, { twitter: { hashtags: ['##Lavoro', 'Offerte'] } });
    expect(buildHashtags({ location: 'Pescara' }, p, 'twitter')).toEqual(['#Lavoro', '#Offerte', '#CPIPescara', '#lavoroPescara']);
    expect(buildHashtags({ location: 'Penne' }, p, 'facebook')).toEqual(['#lavoro', '#CPIPescara', '#lavoroPescara', '#LavoroPenne']);
  });

  it('skips tags that would be empty or only digits', () => {
    expect(dedupeTags(['#', '2026', '!!', 'Ok_2026'])).toEqual(['#Ok_2026']);
  });
});
