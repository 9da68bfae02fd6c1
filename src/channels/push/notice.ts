// SPDX-License-Identifier: EUPL-1.2
/**
 * What a notification says. One offer: its title, then place · contract · deadline, and its link. Several
 * offers for one subscription in one pass: one notification that counts them and opens the app's list
 * (a phone buzzing five times for five offers is how followers turn notifications off). Only the
 * offer's public fields go in, never its text: personal contacts cannot travel even if a feed hid one
 * in the description.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { JobOffer } from '../../domain/offer.ts';

/** The notification of one offer, kept in the outbox until every subscription had its turn. */
export interface Notice {
  key: string;
  title: string;
  /** Place, contract, deadline: what decides whether to open it. */
  body: string;
  url: string;
  at: number;
}

/** What the service worker receives (decrypted) and shows. */
export interface Payload { title: string; body: string; url: string }

export interface NoticeWords {
  deadline: (date: string) => string;
  many: (n: number) => string;
  more: (n: number) => string;
}

/** Push services refuse bodies over 4 KB; titles and bodies this long are already unreadable on a phone. */
const MAX_TITLE = 120;
const MAX_BODY = 400;

const cut = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1).trimEnd()}…`);

export function deadlineOf(offer: Pick<JobOffer, 'validThrough'>, timeZone: string): string | undefined {
  if (!offer.validThrough) return undefined;
  const d = DateTime.fromISO(offer.validThrough, { zone: timeZone });
  return d.isValid ? d.toFormat('dd/MM/yyyy') : undefined;
}

export function placeOf(offer: Pick<JobOffer, 'location' | 'province'>): string | undefined {
  if (!offer.location) return offer.province;
  return offer.province && !/\([^)]*\)\s*$/.test(offer.location) ? `${offer.location} (${offer.province})` : offer.location;
}

export function noticeOf(offer: JobOffer, timeZone: string, words: NoticeWords, at: number): Notice {
  const deadline = deadlineOf(offer, timeZone);
  const body = [placeOf(offer), offer.contract, deadline ? words.deadline(deadline) : undefined].filter(Boolean).join(' · ');
  return { key: offer.key, title: cut(offer.title, MAX_TITLE), body: cut(body, MAX_BODY), url: offer.url, at };
}

/** One notification for the offers a subscription has waiting, oldest first. */
export function payloadFor(notices: readonly Notice[], appUrl: string, words: NoticeWords): Payload {
  if (notices.length === 1) {
    const [n] = notices;
    return { title: n!.title, body: n!.body, url: n!.url };
  }
  const newest = [...notices].sort((a, b) => b.at - a.at);
  const shown = newest.slice(0, 3).map((n) => n.title);
  const rest = notices.length - shown.length;
  return { title: words.many(notices.length), body: cut(shown.join(' · ') + (rest > 0 ? ` ${words.more(rest)}` : ''), MAX_BODY), url: appUrl };
}

/**
 * The `Topic` header (RFC 8030 §5.4: at most 32 base64url characters): one per publisher, so a
 * notification still waiting at the push service (a phone that is off) is replaced by the next one
 * rather than stacked; the service worker shows it with the same `tag`, which replaces a shown one too.
 */
export function topicFor(publisher: string): string {
  return createHash('sha256').update(`banditore-offers:${publisher}`).digest('base64url').slice(0, 24);
}
