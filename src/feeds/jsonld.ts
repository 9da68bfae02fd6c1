// SPDX-License-Identifier: EUPL-1.2
/**
 * schema.org JobPosting in JSON-LD: served as JSON or inside `<script type="application/ld+json">`
 * blocks of an HTML page. Accepts a top-level JobPosting, arrays, `@graph`, and ItemList (whose
 * itemListElement holds JobPostings or ListItems with `.item`). Walks at most MAX_JSON_DEPTH levels
 * (already guaranteed by parseJsonSafely).
 */
import { isRecord, parseJsonSafely } from './json-safe.ts';
import { FeedError } from './errors.ts';

const MAX_POSTINGS = 100_000;

function hasType(node: Record<string, unknown>, type: string): boolean {
  const t = node['@type'];
  const matches = (v: unknown) => typeof v === 'string' && (v === type || v.endsWith(`/${type}`) || v.endsWith(`:${type}`));
  return Array.isArray(t) ? t.some(matches) : matches(t);
}

/** Every JobPosting node found in a parsed JSON-LD value, in document order. */
export function collectJobPostings(root: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const visit = (node: unknown, depth: number): void => {
    if (depth > 16 || found.length >= MAX_POSTINGS) return;
    if (Array.isArray(node)) { for (const n of node) visit(n, depth + 1); return; }
    if (!isRecord(node)) return;
    if (hasType(node, 'JobPosting')) { found.push(node); return; }
    if (node['@graph'] !== undefined) visit(node['@graph'], depth + 1);
    if (hasType(node, 'ItemList') || node['itemListElement'] !== undefined) visit(node['itemListElement'], depth + 1);
    if (hasType(node, 'ListItem') && node['item'] !== undefined) visit(node['item'], depth + 1);
  };
  visit(root, 0);
  return found;
}

/**
 * An empty list (`[]`, an ItemList without elements): a JSON-LD source whose offers were all withdrawn
 * means "no items", not "not a feed".
 */
export function isEmptyJobList(root: unknown): boolean {
  if (Array.isArray(root)) return root.length === 0;
  if (!isRecord(root) || !hasType(root, 'ItemList')) return false;
  const list = root['itemListElement'];
  return list === undefined || (Array.isArray(list) && list.length === 0);
}

const LD_SCRIPT = /<script\b[^>]*\btype\s*=\s*["']?application\/ld\+json["']?[^>]*>([\s\S]*?)<\/script\s*>/gi;

/**
 * JobPostings of an HTML page's JSON-LD blocks. A broken block is skipped (one bad widget must not hide
 * the offers of the others) and counted in `report`, since the offers it held are unknown; a page
 * without any JobPosting is not a feed.
 */
export function jobPostingsFromHtml(html: string, report?: { brokenBlocks: number }): Record<string, unknown>[] {
  const postings: Record<string, unknown>[] = [];
  let blocks = 0;
  let emptyList = false;
  for (const m of html.matchAll(LD_SCRIPT)) {
    blocks++;
    let json: unknown;
    try {
      json = parseJsonSafely(m[1]!.trim().replace(/^<!--|-->$/g, ''), 'JSON-LD');
    } catch {
      if (report) report.brokenBlocks++;
      continue;
    }
    postings.push(...collectJobPostings(json));
    emptyList ||= isEmptyJobList(json);
  }
  if (postings.length === 0 && !emptyList) {
    throw new FeedError(blocks === 0 ? 'HTML page, not a feed' : 'HTML page, not a feed (its JSON-LD holds no JobPosting)');
  }
  return postings;
}
