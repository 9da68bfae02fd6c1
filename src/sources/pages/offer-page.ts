// SPDX-License-Identifier: EUPL-1.2
/**
 * One offer page of a portal → the raw offer shape every source produces (src/feeds/raw-item.ts), so a
 * portal's offer goes through the same normalization, contacts removal and decisions as a feed's. How
 * the fields are found is the page's spec: a preset (myportal.ts) or the office's own CSS selectors.
 * The offer's identity is its page's URL: the one thing the listing and the page both know.
 */
import { load, type Element, type HtmlPage } from '../../feeds/html/index.ts';
import { MAX_FIELD_CHARS } from '../../feeds/text-limits.ts';
import type { RawItem } from '../../feeds/raw-item.ts';

/** What an offer page says, as text (dates as written, or an ISO datetime from `<time datetime>`). */
export interface OfferFields {
  title?: string;
  code?: string;
  place?: string;
  contract?: string;
  deadline?: string;
  published?: string;
  text?: string;
  hours?: string;
  positions?: string;
  /** More the page states (ISTAT qualification…), kept with the offer, never posted by default. */
  extra?: Record<string, string>;
}

/** How to read one kind of portal: which links are offers, and where each field is on an offer page. */
export interface PageSpec {
  /** CSS selector of candidate links on the listing page. */
  links: string;
  /** Whether a candidate link (absolute, same host as the listing) leads to an offer page. */
  isOffer(url: URL): boolean;
  /**
   * The offer's identity from its page's URL, when one offer has several URLs (a portal linking the
   * same offer by its id and by a readable slug must not post it twice). Default: the URL itself.
   */
  identity?(url: URL): string;
  read(page: HtmlPage): OfferFields;
}

/** CSS selectors of the fields, as written in `publishers[].pages[].fields`. */
export interface FieldSelectors {
  title: string;
  code?: string | undefined;
  place?: string | undefined;
  contract?: string | undefined;
  deadline?: string | undefined;
  text?: string | undefined;
  published?: string | undefined;
}

/** A spec from the office's own selectors: every link `links` selects (on the listing's host) is an offer. */
export function selectorSpec(links: string, fields: FieldSelectors): PageSpec {
  return {
    links,
    isOffer: () => true,
    read(page) {
      const out: OfferFields = {};
      const one = (sel: string | undefined) => (sel ? page.selectOne(sel) : undefined);
      const text = (sel: string | undefined) => nonEmpty(page.text(one(sel)));
      out.title = text(fields.title);
      out.code = text(fields.code);
      out.place = text(fields.place);
      out.contract = text(fields.contract);
      out.text = lines(page.text(one(fields.text)));
      out.deadline = dateOf(page, one(fields.deadline));
      out.published = dateOf(page, one(fields.published));
      return out;
    },
  };
}

/** A date element's value: `<time datetime>` when there is one inside, else its text. */
export function dateOf(page: HtmlPage, el: Element | undefined): string | undefined {
  if (!el) return undefined;
  const time = el.name === 'time' ? el : page.selectOne('time[datetime]', el);
  return nonEmpty(page.attr(time, 'datetime')) ?? nonEmpty(page.text(el));
}

/** Multi-line text (a description keeps its paragraphs), or undefined when empty. */
export function lines(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

export function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.replace(/\s+/g, ' ').trim();
  return t ? t : undefined;
}

/**
 * A day written d-M-yyyy (or with / or .) anywhere in the text, as yyyy-MM-dd: a date-only value, so
 * a deadline becomes the end of that day in the publisher's zone ("Scade il ( 31-12-2026 )").
 */
export function dayIn(s: string | undefined): string | undefined {
  const m = s ? /(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})/.exec(s) : null;
  if (!m) return s;
  return `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}

/** The page's URL as its identity: absolute, without its #fragment. */
export function offerIdentity(url: string): string {
  const u = new URL(url);
  u.hash = '';
  return u.href;
}

/** The identity of the offer at `url` by the spec (the URL without its fragment unless the spec knows better). */
export function identityOf(url: string, spec: PageSpec): string {
  const u = new URL(offerIdentity(url));
  return spec.identity ? spec.identity(u) : u.href;
}

/**
 * Reads an offer page; `url` is the page read, and the post's link. A page without a title still
 * yields an item (the pipeline decides `no-title`).
 */
export function readOfferPage(html: string, url: string, spec: PageSpec): RawItem {
  const f = spec.read(load(html));
  const link = offerIdentity(url);
  const cap = (s: string | undefined) => (s === undefined ? undefined : s.slice(0, MAX_FIELD_CHARS));
  const item: RawItem = { id: identityOf(url, spec), link, base: link, categories: [], raw: { ...(f.extra ?? {}) } };
  if (f.title) item.title = { value: f.title, kind: 'text' };
  if (f.text) item.body = { value: f.text, kind: 'text' };
  if (f.code) item.code = cap(f.code);
  if (f.place) item.location = cap(f.place);
  if (f.contract) item.contract = cap(f.contract);
  if (f.hours) item.hours = cap(f.hours);
  const positions = f.positions ? Number(/\d+/.exec(f.positions)?.[0]) : NaN;
  if (Number.isInteger(positions) && positions > 0) item.positions = positions;
  if (f.published) item.published = dayIn(f.published);
  if (f.deadline) item.validThrough = dayIn(f.deadline);
  return item;
}
