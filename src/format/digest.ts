// SPDX-License-Identifier: EUPL-1.2
/**
 * Texts that are not one offer: the digest posted instead of a burst (X free tier allows ~17 posts a
 * day), and the closing text of an offer that was withdrawn or expired.
 */
import type { NetworkName } from '../domain/offer.ts';
import type { PublisherConfig } from '../config/schema.ts';
import type { RenderedPost } from '../channels/channel.ts';
import { dedupeTags } from './hashtags.ts';
import { previewLength } from './length.ts';
import { charLength, shortenWords } from './shorten.ts';
import { DateTime } from 'luxon';
import { definitionOf } from '../channels/registry.ts';

/**
 * "12 nuove offerte di lavoro – Provincia di Pescara", when (`at`, in the publisher's zone), the link, the
 * publisher's hashtags while they fit. The time is not decoration: two digests of the same size would
 * otherwise be the same text, which X (403 duplicate) and Facebook (#506) refuse, and the second batch
 * would be announced nowhere. Callers should pass their clock; wall time is the fallback.
 */
export function renderDigest(count: number, publisher: PublisherConfig, network: NetworkName, link: string, at: number = Date.now()): RenderedPost {
  const n = Math.max(0, Math.floor(count));
  const what = n === 1 ? '1 nuova offerta di lavoro' : `${n} nuove offerte di lavoro`;
  const required = publisher.requiredText?.trim();
  const tags = dedupeTags([...(publisher.channels[network]?.hashtags ?? []), ...publisher.hashtags]);
  const local = DateTime.fromMillis(at, { zone: publisher.timezone });
  const when = local.isValid ? local.toFormat("dd/MM/yyyy 'ore' HH:mm") : '';
  const build = (name: string, hashtags: string[]): string => {
    const lines = [name ? `📢 ${what} – ${name}` : `📢 ${what}`, ...(when ? [`🗓 ${when}`] : []), `👉 ${link}`];
    if (hashtags.length) lines.push(hashtags.join(' '));
    if (required) lines.push(required);
    return lines.join('\n').normalize('NFC');
  };
  let name = publisher.name.replace(/\s+/g, ' ').trim();
  let text = build(name, tags);
  while (!previewLength(text, network).valid && tags.length) { tags.pop(); text = build(name, tags); }
  // A publisher name long enough to overflow X on its own is cut by words: the count and the link matter more.
  while (!previewLength(text, network).valid && name) {
    name = shortenWords(name, Math.max(0, Array.from(name).length - 10));
    text = build(name, tags);
  }
  return { text, link };
}

export const CLOSED_PREFIX = '❌ Offerta chiusa – ';

/**
 * The text an edited post shows once its offer is closed: the original, marked as closed, within the
 * network's length. Idempotent: closing twice does not stack prefixes.
 */
export function closedText(originalText: string, network: NetworkName): string {
  const prefix = definitionOf(network).closedPrefix ?? CLOSED_PREFIX;
  const body = originalText.startsWith(prefix) ? originalText.slice(prefix.length) : originalText;
  const fits = (s: string) => previewLength(`${prefix}${s}`.normalize('NFC'), network);
  let kept = body;
  // shortenWords counts code points, networks count their own way: cut again until it really fits.
  for (let check = fits(kept), max = charLength(kept); !check.valid && max > 0; check = fits(kept)) {
    max -= Math.max(1, check.length - check.limit);
    kept = shortenWords(body, Math.max(0, max));
  }
  return `${prefix}${kept}`.normalize('NFC');
}
