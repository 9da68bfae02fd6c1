// SPDX-License-Identifier: EUPL-1.2
/**
 * The registry of the job-offer document formats of public employment services. Each format is one
 * file (a FormatReader) and one line here. A document may hold one offer as its root element, or a
 * wrapper with many offers (found up to a few levels down, e.g. a SOAP body or a `<Vacancies>` list).
 */
import type { FeedFormat, RawItem } from '../raw-item.ts';
import type { XmlElement } from '../xml/tree.ts';
import type { FormatReader } from './reader.ts';
import { OfferFields } from './fields.ts';
import { clicLavoro } from './cliclavoro.ts';
import { myPortal } from './myportal.ts';
import { hrOpen } from './hropen.ts';

export const FORMAT_READERS: readonly FormatReader[] = [clicLavoro, myPortal, hrOpen];

/** How far below the root the offers of a wrapper may sit. */
const MAX_WRAPPER_DEPTH = 3;

interface Found { reader: FormatReader; offers: Array<{ el: XmlElement; path: string }> }

function matching(el: XmlElement): FormatReader | undefined {
  return FORMAT_READERS.find((r) => r.isOffer(el));
}

/** The offers of a document: the root itself, or every sibling of the first offer found below it. */
export function findOffers(root: XmlElement): Found | undefined {
  const self = matching(root);
  if (self) return { reader: self, offers: [{ el: root, path: root.name }] };
  let level: Array<{ el: XmlElement; path: string }> = [{ el: root, path: root.name }];
  for (let depth = 0; depth < MAX_WRAPPER_DEPTH && level.length; depth++) {
    const next: typeof level = [];
    for (const { el: parent, path } of level) {
      const reader = parent.children.map(matching).find(Boolean);
      if (reader) {
        const offers = parent.children.filter((c) => reader.isOffer(c));
        return {
          reader,
          offers: offers.map((el, i) => ({ el, path: offers.length > 1 ? `${path}/${el.name}[${i + 1}]` : `${path}/${el.name}` })),
        };
      }
      for (const c of parent.children) next.push({ el: c, path: `${path}/${c.name}` });
    }
    level = next;
  }
  return undefined;
}

/** Every offer of a recognized document as a RawItem carrying its problems; undefined when no format matches. */
export function readOfferDocument(root: XmlElement, base: string, timezone: string): { format: FeedFormat; label: string; items: RawItem[] } | undefined {
  const found = findOffers(root);
  if (!found) {
    // An export of the day with no offers in it (a wrapper in a standard's namespace) is "no items".
    const empty = root.ns === '' ? undefined : FORMAT_READERS.find((r) => r.namespace === root.ns);
    return empty ? { format: empty.format, label: empty.label, items: [] } : undefined;
  }
  const items = found.offers.map(({ el, path }) => {
    const fields = new OfferFields(el, path, timezone);
    const item = found.reader.read(fields, base);
    item.problems = [...(item.problems ?? []), ...fields.problems];
    item.path = path;
    return item;
  });
  return { format: found.reader.format, label: found.reader.label, items };
}
