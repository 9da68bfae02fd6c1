// SPDX-License-Identifier: EUPL-1.2
/**
 * The feed path after the bytes arrive: decode → detect → parse → normalize → decide. One function for
 * the poller, for `banditore parse` and for every other source (inbox, API, upload): the format is
 * judged by the content, so a ClicLavoro file reads the same whichever way it came in.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JobDetails, JobOffer, RemovedContacts } from '../domain/offer.ts';
import { FeedError } from './errors.ts';
import { decodeBody } from './decode.ts';
import { detectBody, assertXmlComplete } from './detect.ts';
import { parseJsonSafely, isRecord } from './json-safe.ts';
import { collectJobPostings, isEmptyJobList, jobPostingsFromHtml } from './jsonld.ts';
import { fromJobPosting } from './read-jsonld.ts';
import { readWithFeedsmith } from './read-feedsmith.ts';
import { liftXhtmlBodies } from './xhtml-body.ts';
import { normalizeItem, offerKey } from './normalize.ts';
import { fetchFeed, type FetchOptions } from './fetch.ts';
import type { FeedFormat, ItemProblem, RawItem } from './raw-item.ts';
import { parseXmlTree } from './xml/tree.ts';
import { readOfferDocument } from './formats/registry.ts';

/**
 * What to do with an item. `invalid`: the document breaks its standard for this offer (no identity,
 * a bad date…: see `problems`). `closed`: the source says the offer is closed, so its posts close
 * (`key` names it, `offer` is there when it could be built).
 */
export type Decision = 'post' | 'expired' | 'no-link' | 'unsafe-link' | 'no-title' | 'duplicate-in-feed' | 'invalid' | 'closed';

export interface ParsedItem {
  index: number;
  sourceId?: string;
  /** Present for 'post' (and 'expired', so the caller can close what it posted before). */
  offer?: JobOffer;
  decision: Decision;
  reason?: string;
  title?: string;
  url?: string;
  text?: string;
  published?: string;
  validThrough?: string;
  /** offerKey(sourceId): the offer's key even when it cannot be posted (to close what was posted before). */
  key?: string;
  /** Place, contract, code, pay, closed, replaces…, also for items that are not posted. */
  details?: JobDetails;
  /** Contacts taken out of the texts (counts). */
  removedContacts?: RemovedContacts;
  /** Problems of this item (errors made it `invalid`; warnings did not stop it), each naming its element. */
  problems?: ItemProblem[];
}

export interface ParseContext {
  publisherId: string;
  timezone: string;
  feedUrl: string;
  now?: Date;
  /** For formats without links: "https://www.example.it/offerta/{{code}}" (the code URL-encoded). */
  linkTemplate?: string;
  /** The publisher's own e-mail addresses / phone numbers, kept in texts (`publishers[].allowedContacts`). */
  allowedContacts?: readonly string[];
}

/** One problem of the document, for the inbox's NAME.reason.txt or the API's 422: `item` is the item's index. */
export interface DocumentProblem extends ItemProblem {
  item: number;
}

export interface ParsedFeed {
  format: FeedFormat;
  items: ParsedItem[];
  /**
   * Set when part of the document could not be read (a JSON-LD block that does not parse, an item
   * without any identity): the offers it held are unknown, so the poller must not take their absence
   * as withdrawal. Each entry says what was lost, for an operator.
   */
  incomplete?: string[];
  /** Every problem of every item (errors and warnings), in order; [] when there are none. */
  problems: DocumentProblem[];
}

const EMPTY_FEED_ROOTS: Record<string, FeedFormat> = { rss: 'rss', feed: 'atom', 'rdf:rdf': 'rdf' };

/** Roots read by feedsmith; any other XML root is first offered to the registry of offer formats. */
const FEED_ROOTS = /^(?:[\w-]+:)?(?:rss|feed|rdf|channel)$/i;

const OFFER_HINT = /servizi\.lavoro\.gov\.it\/vacancy|regione\.emilia-romagna\.it\/vacancy|www\.hr-xml\.org\/3|<(?:[\w-]+:)?(?:Vacancy|PositionOpening)[\s>]/;

interface RawDocument { format: FeedFormat; items: RawItem[]; label?: string; /** JSON-LD blocks of a page that did not parse. */ brokenBlocks?: number }

function readRawItems(body: Buffer, contentType: string | undefined, docUrl: string, timezone: string): RawDocument {
  const { text } = decodeBody(body, contentType);
  const detected = detectBody(text);
  if (detected.kind === 'html') {
    const report = { brokenBlocks: 0 };
    return { format: 'json-ld', items: jobPostingsFromHtml(text, report).map((p) => fromJobPosting(p, docUrl)), brokenBlocks: report.brokenBlocks };
  }
  if (detected.kind === 'json') {
    const json = parseJsonSafely(text.slice(detected.start));
    if (isRecord(json) && typeof json['version'] === 'string' && /jsonfeed\.org/i.test(json['version'])) {
      return readWithFeedsmith(json, docUrl);
    }
    const postings = collectJobPostings(json);
    if (postings.length === 0 && !isEmptyJobList(json)) throw new FeedError('JSON, but neither a JSON Feed nor schema.org JobPosting');
    return { format: 'json-ld', items: postings.map((p) => fromJobPosting(p, docUrl)) };
  }
  assertXmlComplete(text, detected.root!);
  const xml = text.slice(detected.start);
  if (!FEED_ROOTS.test(detected.root!)) {
    let tree: ReturnType<typeof parseXmlTree> | undefined;
    try {
      tree = parseXmlTree(xml);
    } catch (err) {
      // A broken offer document is refused with the line at fault; other XML keeps feedsmith's verdict.
      if (err instanceof FeedError && OFFER_HINT.test(xml)) throw err;
    }
    const doc = tree && readOfferDocument(tree, docUrl, timezone);
    if (doc) return doc;
  }
  const emptyFormat = EMPTY_FEED_ROOTS[detected.root!.toLowerCase()];
  if (emptyFormat && !/<(?:[\w-]+:)?(?:item|entry)[\s>/]/i.test(xml)) {
    // A feed whose offers were all withdrawn may be a bare <channel/>: that is "no items", not an error
    // (feedsmith refuses feeds without title and items).
    return { format: emptyFormat, items: [] };
  }
  return readWithFeedsmith(detected.root!.toLowerCase() === 'rss' ? liftXhtmlBodies(xml) : xml, docUrl);
}

const isError = (p: ItemProblem) => p.level === 'error';

function decide(doc: RawDocument, ctx: ParseContext): { items: ParsedItem[]; problems: DocumentProblem[] } {
  const now = (ctx.now ?? new Date()).getTime();
  const seen = new Set<string>();
  const problems: DocumentProblem[] = [];
  const items = doc.items.map((raw, index) => {
    const n = normalizeItem(raw, ctx);
    const item: ParsedItem = {
      index, sourceId: n.sourceId, title: n.title, url: n.url, text: n.text, published: n.published,
      validThrough: n.validThrough, decision: 'post', details: n.details,
    };
    if (n.sourceId !== undefined) item.key = offerKey(n.sourceId);
    if (n.removedContacts) item.removedContacts = n.removedContacts;
    const itemProblems = [...n.problems];
    const duplicate = n.sourceId !== undefined && seen.has(n.sourceId);
    if (n.sourceId !== undefined) seen.add(n.sourceId);
    const errors = itemProblems.filter(isError);
    if (duplicate) { item.decision = 'duplicate-in-feed'; item.reason = 'same identity as an earlier item of this feed'; }
    else if (errors.length) { item.decision = 'invalid'; item.reason = errors.map((p) => p.message).join('; '); }
    else if (n.details.closed && n.sourceId !== undefined) {
      item.decision = 'closed';
      item.reason = `offerta chiusa${n.details.closedReason ? ` (${n.details.closedReason})` : ''}`;
      if (n.offer) item.offer = n.offer;
    } else if (n.linkProblem) { item.decision = n.linkUnresolved ? 'no-link' : 'unsafe-link'; item.reason = n.linkProblem; }
    else if (!n.url) {
      item.decision = 'no-link';
      item.reason = doc.label
        ? `manca il link dell'offerta: un documento ${doc.label} non ne contiene; indicare un modello di link con {{code}} (inbox.link, oppure parse --link)`
        : 'item has no link';
      if (doc.label) itemProblems.push({ path: raw.path ?? '', message: item.reason, level: 'error' });
    } else if (!n.title) { item.decision = 'no-title'; item.reason = 'item has no title'; }
    else if (n.validThrough && Date.parse(n.validThrough) < now) {
      item.decision = 'expired'; item.reason = `expired on ${n.validThrough}`; item.offer = n.offer;
    } else item.offer = n.offer;
    if (itemProblems.length) item.problems = itemProblems;
    for (const p of itemProblems) problems.push({ ...p, item: index });
    return item;
  });
  return { items, problems };
}

/** What a document lost while it was read; empty when every part of it was read. */
function incompleteParts(items: ParsedItem[], brokenBlocks: number): string[] {
  const out: string[] = [];
  if (brokenBlocks) out.push(`${brokenBlocks} JSON-LD block(s) that do not parse`);
  const anonymous = items.filter((i) => i.sourceId === undefined).length;
  if (anonymous) out.push(`${anonymous} item(s) without id or link`);
  return out;
}

export function parseFeedBytes(body: Buffer, contentType: string | undefined, ctx: ParseContext): ParsedFeed {
  try {
    const doc = readRawItems(body, contentType, ctx.feedUrl, ctx.timezone);
    const parsed: ParsedFeed = { format: doc.format, ...decide(doc, ctx) };
    const lost = incompleteParts(parsed.items, doc.brokenBlocks ?? 0);
    if (lost.length) parsed.incomplete = lost;
    return parsed;
  } catch (err) {
    if (err instanceof FeedError) throw err;
    // A parser bug or a stack overflow on a pathological input: still one clear error for this feed.
    throw new FeedError(`unreadable feed: ${String((err as Error)?.message ?? err).slice(0, 120)}`, { cause: err });
  }
}

export interface ReadSourceOptions extends Omit<FetchOptions, 'validators'> {
  publisherId: string;
  timezone: string;
  now?: Date;
  linkTemplate?: string;
  allowedContacts?: readonly string[];
  /** For a file: the URL it was served from, to resolve relative links as the poller would. */
  baseUrl?: string;
}

/** A file path or an http(s) URL through the same path as the poller (a file only skips HTTP). */
export async function readSource(source: string, opts: ReadSourceOptions): Promise<ParsedFeed & { feedUrl: string }> {
  if (/^https?:\/\//i.test(source)) {
    const res = await fetchFeed(source, opts);
    if (res.kind !== 'ok') throw new FeedError('not modified');
    const parsed = parseFeedBytes(res.body, res.contentType, { ...opts, feedUrl: res.finalUrl });
    return { ...parsed, feedUrl: res.finalUrl };
  }
  const file = source.startsWith('file:') ? new URL(source) : path.resolve(source);
  let body: Buffer;
  try { body = await readFile(file); } catch (err) {
    throw new FeedError(`cannot read file: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  if (body.length > opts.maxBytes) throw new FeedError(`body larger than ${opts.maxBytes} bytes`);
  const feedUrl = opts.baseUrl ?? (typeof file === 'string' ? pathToFileURL(file).href : file.href);
  return { ...parseFeedBytes(body, undefined, { ...opts, feedUrl }), feedUrl };
}

/**
 * Items another source read itself (the offer pages of a portal: src/sources/pages/) through the same
 * decisions as a document's items: normalization, contacts removal, identity, expiry.
 */
export function parseRawItems(format: FeedFormat, items: RawItem[], ctx: ParseContext): ParsedFeed {
  const parsed: ParsedFeed = { format, ...decide({ format, items }, ctx) };
  const lost = incompleteParts(parsed.items, 0);
  if (lost.length) parsed.incomplete = lost;
  return parsed;
}
