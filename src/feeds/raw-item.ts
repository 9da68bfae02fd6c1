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
}

export type FeedFormat = 'rss' | 'atom' | 'rdf' | 'json-feed' | 'json-ld';
