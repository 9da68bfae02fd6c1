// SPDX-License-Identifier: EUPL-1.2
/**
 * What a follower asked for, shared by the channels that reach people one by one (the newsletter, the
 * app's notifications): places (comuni or provinces), kinds of contract, words in the title. An empty
 * list means "any". Matching is forgiving about case, accents and apostrophes ("Citta Sant Angelo"
 * finds "Città Sant'Angelo"), never about meaning: a kind of contract is recognised only from words the
 * offer's contract actually says.
 */
import { z } from 'zod';
import type { JobOffer } from '../../domain/offer.ts';

/** The kinds of contract a follower can choose, in the order a form lists them. */
export const CONTRACT_KINDS = [
  'indeterminato', 'determinato', 'apprendistato', 'tirocinio', 'somministrazione', 'stagionale', 'part-time', 'autonomo', 'categorie-protette',
] as const;
export type ContractKind = (typeof CONTRACT_KINDS)[number];

/** Italian names of the kinds, for forms and messages. */
export const CONTRACT_KIND_LABELS: Record<ContractKind, string> = {
  indeterminato: 'Tempo indeterminato',
  determinato: 'Tempo determinato',
  apprendistato: 'Apprendistato',
  tirocinio: 'Tirocinio',
  somministrazione: 'Somministrazione (lavoro interinale)',
  stagionale: 'Lavoro stagionale',
  'part-time': 'Part-time',
  autonomo: 'Lavoro autonomo o collaborazione',
  'categorie-protette': 'Categorie protette (L. 68/1999)',
};

/** Words that say each kind, matched on the normalized contract, hours and title. */
const KIND_WORDS: Record<ContractKind, RegExp> = {
  indeterminato: /\bindeterminat|\bpermanent/,
  determinato: /(?<!in)determinat|\ba termine\b|\bfixed.term/,
  apprendistato: /\bapprendist/,
  tirocinio: /\btirocin|\bstage\b|\binternship/,
  somministrazione: /\bsomministra|\binterinal/,
  stagionale: /\bstagional/,
  'part-time': /\bpart.?time\b|\btempo parziale\b|\borario ridotto\b/,
  autonomo: /\bautonom|\bcollaborazion|\bpartita iva\b|\bp\.? ?iva\b|\bco\.?co\.?co\b|\bfreelance/,
  'categorie-protette': /\bcategorie protette\b|\bl\.? ?68\b|\b68\/99\b|\b68\/1999\b|\bcollocamento mirato\b/,
};

export const preferencesSchema = z.strictObject({
  places: z.array(z.string().trim().min(1).max(80)).max(50).default([]),
  contracts: z.array(z.enum(CONTRACT_KINDS)).max(CONTRACT_KINDS.length).default([]),
  words: z.array(z.string().trim().min(2).max(40)).max(20).default([]),
});
export type Preferences = z.output<typeof preferencesSchema>;

export const ANYTHING: Preferences = { places: [], contracts: [], words: [] };

/** Lower case, no accents, apostrophes and punctuation as spaces, single spaces. */
export function normalizeText(s: string | undefined): string {
  return (s ?? '').normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase().replace(/[^\p{L}\p{N}/.]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

/** The kinds of contract an offer's own words say (none when it says none of them). */
export function contractKindsOf(offer: Pick<JobOffer, 'contract' | 'hours' | 'title'>): ContractKind[] {
  const said = normalizeText([offer.contract, offer.hours].filter(Boolean).join(' '));
  const title = normalizeText(offer.title);
  return CONTRACT_KINDS.filter((k) => KIND_WORDS[k].test(said) || (k !== 'determinato' && k !== 'indeterminato' && KIND_WORDS[k].test(title)));
}

/** A province is written as its two-letter sigla ("PE"); anything else names a comune. */
const isProvince = (place: string) => /^[A-Za-z]{2}$/.test(place.trim());

export function placeMatches(offer: Pick<JobOffer, 'location' | 'province'>, place: string): boolean {
  if (isProvince(place)) return (offer.province ?? '').trim().toUpperCase() === place.trim().toUpperCase();
  const wanted = normalizeText(place);
  // "Castiglione a Casauria (PE)": the province in brackets is not part of the comune's name.
  const where = normalizeText((offer.location ?? '').replace(/\s*\([^)]*\)\s*$/u, ''));
  return wanted !== '' && where === wanted;
}

function wordMatches(title: string, word: string): boolean {
  const w = normalizeText(word);
  return w !== '' && new RegExp(`(^| )${w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`).test(title);
}

/** Whether the offer is one the follower asked for: every non-empty list must be met by at least one entry. */
export function matches(offer: JobOffer, prefs: Preferences): boolean {
  if (prefs.places.length && !prefs.places.some((p) => placeMatches(offer, p))) return false;
  if (prefs.contracts.length) {
    const kinds = contractKindsOf(offer);
    if (!prefs.contracts.some((c) => kinds.includes(c))) return false;
  }
  if (prefs.words.length) {
    const title = normalizeText(offer.title);
    if (!prefs.words.some((w) => wordMatches(title, w))) return false;
  }
  return true;
}
