// SPDX-License-Identifier: EUPL-1.2
/**
 * What each format reader extracts from one item, before normalization: fields as the feed wrote them
 * (links maybe relative, dates as strings, text maybe HTML). normalize.ts turns this into a JobOffer.
 */
import type { JobDetails } from '../domain/offer.ts';

export interface TextField {
  value: string;
  /**
   * html: markup, decode entities in text nodes; text: literal characters (Atom type="text");
   * mixed: plain text that sometimes carries tags (RSS titles): tags are removed, entities are not
   * decoded again (the XML parser already decoded them once).
   */
  kind: 'html' | 'text' | 'mixed';
}

export interface RawItem extends JobDetails {
  id?: string;
  /** Link as written (maybe relative). */
  link?: string;
  /** Absolute base for resolving `link` (xml:base chain or the document URL). */
  base: string;
  title?: TextField;
  body?: TextField;
  published?: string;
  validThrough?: string;
  categories: string[];
  raw: Record<string, unknown>;
  /** What the format reader found wrong with this item, each naming the element at fault. */
  problems?: ItemProblem[];
  /** Where the item sits in its document ("Vacancies/Vacancy[2]"), for problems about the item as a whole. */
  path?: string;
}

/**
 * One problem of one item, in Italian, for operators: `path` names the element at fault
 * ("Vacancy/DatiSistema/codiceofferta"), `message` is the whole sentence ("… mancante"). An error makes
 * the item unusable; a warning is reported and the item goes on (e.g. an unknown contract code).
 */
export interface ItemProblem {
  path: string;
  message: string;
  level: 'error' | 'warning';
}

/** Feed formats, and the job-offer documents of the public employment services (src/feeds/formats/). */
export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json-feed' | 'json-ld' | 'cliclavoro' | 'myportal' | 'hr-open' | 'portal-page';
