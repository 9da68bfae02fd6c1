// SPDX-License-Identifier: EUPL-1.2
/**
 * The listing page → the offer pages it links to. Only links to offer pages are followed: same host as
 * the listing (a link to another site is never an offer of this office), http(s), not the listing
 * itself, and accepted by the spec (the preset's offer-URL pattern, or the office's own selector). So
 * navigation, news, privacy and social links are never fetched. Each link comes with its entry (the
 * link's text as the listing shows it): when that changes, the offer page is read again.
 */
import { createHash } from 'node:crypto';
import { load } from '../../feeds/html/index.ts';
import { identityOf, offerIdentity, type PageSpec } from './offer-page.ts';

export interface OfferLink {
  /** The offer page to fetch (the first link the listing gives it). */
  url: string;
  /** The offer's identity (identityOf): links to one offer by several URLs are one link. */
  id: string;
  /** A short hash of the listing's text for this offer. */
  entry: string;
}

/** Links beyond this many on one listing are ignored (a listing is a page of results, not a sitemap). */
export const MAX_LINKS = 2000;

export function findOfferLinks(html: string, listingUrl: string, spec: PageSpec): OfferLink[] {
  const page = load(html);
  const listing = new URL(listingUrl);
  const texts = new Map<string, { url: string; texts: string[] }>();
  let anchors;
  try { anchors = page.select(spec.links); } catch { return []; } // a selector css-select refuses matches nothing
  for (const el of anchors) {
    const a = el.name === 'a' ? el : page.selectOne('a[href]', el);
    const href = page.attr(a, 'href');
    if (!href) continue;
    let u: URL;
    try { u = new URL(href.trim(), listing); } catch { continue; }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') continue;
    if (u.host !== listing.host) continue;
    const url = offerIdentity(u.href);
    if (url === offerIdentity(listing.href) || !spec.isOffer(u)) continue;
    const id = identityOf(url, spec);
    let seen = texts.get(id);
    if (!seen) {
      if (texts.size >= MAX_LINKS) break;
      seen = { url, texts: [] };
      texts.set(id, seen);
    }
    seen.texts.push(page.text(el));
  }
  return [...texts].map(([id, t]) => ({ url: t.url, id, entry: createHash('sha256').update(t.texts.join('\n')).digest('hex').slice(0, 16) }));
}
