// SPDX-License-Identifier: EUPL-1.2
/**
 * RSS 2.0, RSS 1.0/RDF, Atom 1.0 and JSON Feed through feedsmith, mapped to RawItem. feedsmith never
 * expands DOCTYPE entities and decodes XML entities once; dates stay raw strings for dates.ts.
 */
import { parseFeed } from 'feedsmith';
import type { RawItem, TextField, FeedFormat } from './raw-item.ts';
import { FeedError } from './errors.ts';
import { itemSlices } from './chunked.ts';

// feedsmith's types are precise but deeply generic; items are read defensively as loose records.
type Loose = Record<string, any>;

function str(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

export function resolveBase(base: string | undefined, against: string): string {
  if (!base) return against;
  try { return new URL(base, against).href; } catch { return against; }
}

function atomText(t: Loose | undefined): TextField | undefined {
  const value = str(t?.value);
  if (value === undefined) return undefined;
  const type = String(t?.type ?? '').toLowerCase();
  return { value, kind: type === '' || type === 'text' || type === 'text/plain' ? 'text' : 'html' };
}

function fromRss(item: Loose, base: string): RawItem {
  const guid = str(item.guid?.value);
  const guidIsLink = guid !== undefined && item.guid?.isPermaLink !== false && /^https?:\/\//i.test(guid);
  const titleValue = str(item.title) ?? str(item.dc?.titles?.[0]) ?? str(item.media?.title?.value)
    ?? str(item.media?.group?.title?.value) ?? str(item.media?.contents?.[0]?.title?.value);
  const html = str(item.content?.encoded) ?? str(item.description);
  const plain = str(item.itunes?.summary) ?? str(item.dc?.descriptions?.[0]) ?? str(item.media?.description?.value);
  return {
    id: guid,
    link: str(item.link) ?? (guidIsLink ? guid : undefined) ?? str(item.atom?.links?.[0]?.href),
    base: resolveBase(item.xml?.base, base),
    title: titleValue === undefined ? undefined : { value: titleValue, kind: 'mixed' },
    body: html !== undefined ? { value: html, kind: 'html' } : plain !== undefined ? { value: plain, kind: 'mixed' } : undefined,
    published: str(item.pubDate) ?? str(item.dc?.dates?.[0]),
    categories: (item.categories ?? []).map((c: Loose) => str(c?.name)).filter(Boolean) as string[],
    employer: str(item.dc?.publishers?.[0]),
    raw: { guid, author: item.authors?.[0] ?? item.dc?.creators?.[0], enclosures: item.enclosures },
  };
}

function pickAtomLink(links: Loose[] | undefined): string | undefined {
  if (!links?.length) return undefined;
  const alternates = links.filter((l) => !l.rel || l.rel === 'alternate');
  const best = alternates.find((l) => !l.type || /html/i.test(l.type)) ?? alternates[0];
  return str(best?.href);
}

function fromAtom(entry: Loose, base: string): RawItem {
  const content = entry.content?.src ? undefined : atomText(entry.content);
  return {
    id: str(entry.id),
    link: pickAtomLink(entry.links),
    base: resolveBase(entry.xml?.base, base),
    title: atomText(entry.title),
    body: content ?? atomText(entry.summary),
    published: str(entry.published) ?? str(entry.updated) ?? str(entry.dc?.dates?.[0]),
    categories: (entry.categories ?? []).map((c: Loose) => str(c?.label) ?? str(c?.term)).filter(Boolean) as string[],
    raw: { id: entry.id, updated: entry.updated, author: entry.authors?.[0]?.name },
  };
}

function fromRdf(item: Loose, base: string): RawItem {
  const title = str(item.title) ?? str(item.dc?.titles?.[0]);
  const html = str(item.content?.encoded) ?? str(item.description) ?? str(item.dc?.descriptions?.[0]);
  return {
    id: str(item.rdf?.about),
    link: str(item.link) ?? str(item.rdf?.about),
    base: resolveBase(item.xml?.base, base),
    title: title === undefined ? undefined : { value: title, kind: 'mixed' },
    body: html === undefined ? undefined : { value: html, kind: 'html' },
    published: str(item.dc?.dates?.[0]),
    categories: (item.dc?.subjects ?? []).filter((s: unknown) => typeof s === 'string'),
    raw: { about: item.rdf?.about },
  };
}

function fromJsonFeed(item: Loose, base: string): RawItem {
  const html = str(item.content_html);
  const text = str(item.content_text) ?? str(item.summary);
  const title = str(item.title);
  return {
    id: str(item.id),
    link: str(item.url) ?? str(item.external_url),
    base,
    title: title === undefined ? undefined : { value: title, kind: 'mixed' },
    body: html !== undefined ? { value: html, kind: 'html' } : text !== undefined ? { value: text, kind: 'text' } : undefined,
    published: str(item.date_published) ?? str(item.date_modified),
    categories: (item.tags ?? []).filter((t: unknown) => typeof t === 'string'),
    raw: { id: item.id },
  };
}

function parseOrExplain(input: string | object): { format: string; feed: Loose } {
  try {
    return parseFeed(input as string) as { format: string; feed: Loose };
  } catch (err) {
    const msg = (err as Error).message;
    const cause = String(((err as Error).cause as Error | undefined)?.message ?? '');
    if (cause.includes('[SECURITY]')) {
      // fast-xml-parser refuses element names like __proto__ / constructor (prototype pollution).
      throw new FeedError('XML uses reserved element names (__proto__, constructor): refused');
    }
    throw new FeedError(/unrecognized/i.test(msg) ? 'not a feed (unrecognized format)' : `invalid feed: ${(cause || msg).slice(0, 120)}`);
  }
}

/** Parses an XML feed text (big RSS/RDF in slices of items) or a (safely parsed) JSON Feed object. */
export function readWithFeedsmith(input: string | object, docUrl: string): { format: FeedFormat; items: RawItem[] } {
  if (typeof input !== 'string') return mapFeed(parseOrExplain(input), docUrl);
  let format: FeedFormat | undefined;
  const items: RawItem[] = [];
  for (const slice of itemSlices(input)) {
    const part = mapFeed(parseOrExplain(slice), docUrl);
    format ??= part.format;
    for (const it of part.items) items.push(it);
  }
  return { format: format!, items };
}

function mapFeed(result: { format: string; feed: Loose }, docUrl: string): { format: FeedFormat; items: RawItem[] } {
  const feed = result.feed;
  const base = resolveBase(feed.xml?.base, docUrl);
  switch (result.format) {
    case 'rss': return { format: 'rss', items: (feed.items ?? []).map((i: Loose) => fromRss(i, base)) };
    case 'atom': return { format: 'atom', items: (feed.entries ?? []).map((e: Loose) => fromAtom(e, base)) };
    case 'rdf': return { format: 'rdf', items: (feed.items ?? []).map((i: Loose) => fromRdf(i, base)) };
    case 'json': return { format: 'json-feed', items: (feed.items ?? []).map((i: Loose) => fromJsonFeed(i, base)) };
    default: throw new FeedError('not a feed (unrecognized format)');
  }
}
