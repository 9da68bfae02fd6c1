// SPDX-License-Identifier: EUPL-1.2
/** What one document format of the registry (registry.ts) provides. */
import type { FeedFormat, RawItem } from '../raw-item.ts';
import type { XmlElement } from '../xml/tree.ts';
import type { OfferFields } from './fields.ts';

export interface FormatReader {
  format: FeedFormat;
  /** How operators call it, in messages ("ClicLavoro Vacancy"). */
  label: string;
  /** The standard's namespace: a wrapper in it with no offers is an empty list, not an unknown document. */
  namespace: string;
  /** This element is one offer of the format (root element + namespace, as the standard defines it). */
  isOffer(el: XmlElement): boolean;
  /** One offer → RawItem; what is wrong goes to `f.problems` (copied to the item by the registry). */
  read(f: OfferFields, base: string): RawItem;
}
