// SPDX-License-Identifier: EUPL-1.2
/**
 * Hashtags of a post: the channel's, then the publisher's, then one for the place of the offer
 * ("Città Sant'Angelo" → #LavoroCittàSantAngelo). Order matters: when a post is too long for X,
 * hashtags are dropped from the end.
 */
import type { JobOffer, NetworkName } from '../domain/offer.ts';
import type { PublisherConfig } from '../config/schema.ts';

/** Letters (accented too), digits and '_' are all a hashtag may hold on X and Facebook. */
const NOT_TAG_CHAR = /[^\p{L}\p{M}\p{N}_]/gu;

function capitalize(word: string): string {
  if (word === '') return '';
  // "PESCARA" as the office typed it should read like "Pescara", not "PESCARA".
  const rest = word.length > 1 && word === word.toLocaleUpperCase('it') ? word.slice(1).toLocaleLowerCase('it') : word.slice(1);
  return word.charAt(0).toLocaleUpperCase('it') + rest;
}

/** CamelCase of a place name: words split on spaces, hyphens, apostrophes and other punctuation. */
export function camelCase(text: string): string {
  return text.normalize('NFC').split(/[^\p{L}\p{M}\p{N}]+/u).filter(Boolean).map(capitalize).join('');
}

/** One configured tag cleaned up: '#' added once, punctuation and spaces removed; null when nothing is left or it is all digits (X would not link it). */
export function normalizeTag(tag: string): string | null {
  const body = tag.normalize('NFC').replace(/^#+/, '').replace(NOT_TAG_CHAR, '');
  if (body === '' || /^[\d_]+$/.test(body)) return null;
  return `#${body}`;
}

/** `#Lavoro<Place>` for an offer's location, or null when it has none. */
export function placeTag(location: string | undefined): string | null {
  if (!location) return null;
  // "Castiglione a Casauria (PE)": the province in brackets is not part of the place's name.
  const camel = camelCase(location.replace(/\s*\([^)]*\)\s*$/u, ''));
  return camel ? `#Lavoro${camel}` : null;
}

/** Tags in order, deduplicated case-insensitively (the first spelling wins). */
export function dedupeTags(tags: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const tag = normalizeTag(raw);
    if (!tag) continue;
    const key = tag.toLocaleLowerCase('it');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(tag);
  }
  return out;
}

/** The hashtags of one offer's post on one network. */
export function buildHashtags(offer: Pick<JobOffer, 'location'>, publisher: PublisherConfig, network: NetworkName): string[] {
  const channel = publisher.channels[network];
  const place = placeTag(offer.location);
  return dedupeTags([...(channel?.hashtags ?? []), ...(publisher.hashtags ?? []), ...(place ? [place] : [])]);
}
