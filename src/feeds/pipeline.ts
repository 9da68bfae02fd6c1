/**
 * The feed path after the bytes arrive: decode → detect → parse → normalize → decide. One function for
 * the poller and for `banditore parse`, so an operator sees exactly what the poller would do.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { JobOffer } from '../domain/offer.ts';
import { FeedError } from './errors.ts';
import { decodeBody } from './decode.ts';
import { detectBody, assertXmlComplete } from './detect.ts';
import { parseJsonSafely, isRecord } from './json-safe.ts';
import { collectJobPostings, isEmptyJobList, jobPostingsFromHtml } from './jsonld.ts';
import { fromJobPosting } from './read-jsonld.ts';
import { readWithFeedsmith } from './read-feedsmith.ts';
import { liftXhtmlBodies } from './xhtml-body.ts';
import { normalizeItem } from './normalize.ts';
import { fetchFeed, type FetchOptions } from './fetch.ts';
import type { FeedFormat, RawItem } from './raw-item.ts';

export type Decision = 'post' | 'expired' | 'no-link' | 'unsafe-link' | 'no-title' | 'duplicate-in-feed';

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
}

export interface ParseContext {
  publisherId: string;
  timezone: string;
  feedUrl: string;
  now?: Date;
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
}

const EMPTY_FEED_ROOTS: Record<string, FeedFormat> = { rss: 'rss', feed: 'atom', 'rdf:rdf': 'rdf' };

function readRawItems(body: Buffer, contentType: string | undefined, docUrl: string): { format: FeedFormat; items: RawItem[]; brokenBlocks?: number } {
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
  const emptyFormat = EMPTY_FEED_ROOTS[detected.root!.toLowerCase()];
  if (emptyFormat && !/<(?:[\w-]+:)?(?:item|entry)[\s>/]/i.test(xml)) {
    // A feed whose offers were all withdrawn may be a bare <channel/>: that is "no items", not an error
    // (feedsmith refuses feeds without title and items).
    return { format: emptyFormat, items: [] };
  }
  return readWithFeedsmith(detected.root!.toLowerCase() === 'rss' ? liftXhtmlBodies(xml) : xml, docUrl);
}

function decide(items: RawItem[], ctx: ParseContext): ParsedItem[] {
  const now = (ctx.now ?? new Date()).getTime();
  const seen = new Set<string>();
  return items.map((raw, index) => {
    const n = normalizeItem(raw, ctx);
    const item: ParsedItem = {
      index, sourceId: n.sourceId, title: n.title, url: n.url, text: n.text, published: n.published,
      validThrough: n.validThrough, decision: 'post',
    };
    const duplicate = n.sourceId !== undefined && seen.has(n.sourceId);
    if (n.sourceId !== undefined) seen.add(n.sourceId);
    if (duplicate) { item.decision = 'duplicate-in-feed'; item.reason = 'same identity as an earlier item of this feed'; }
    else if (n.linkProblem) { item.decision = n.linkUnresolved ? 'no-link' : 'unsafe-link'; item.reason = n.linkProblem; }
    else if (!n.url) { item.decision = 'no-link'; item.reason = 'item has no link'; }
    else if (!n.title) { item.decision = 'no-title'; item.reason = 'item has no title'; }
    else if (n.validThrough && Date.parse(n.validThrough) < now) {
      item.decision = 'expired'; item.reason = `expired on ${n.validThrough}`; item.offer = n.offer;
    } else item.offer = n.offer;
    return item;
  });
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
    const { format, items, brokenBlocks } = readRawItems(body, contentType, ctx.feedUrl);
    const parsed: ParsedFeed = { format, items: decide(items, ctx) };
    const lost = incompleteParts(parsed.items, brokenBlocks ?? 0);
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
