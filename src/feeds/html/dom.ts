// SPDX-License-Identifier: EUPL-1.2
/**
 * An HTML page as a tree to query with CSS selectors: htmlparser2 (the parser under cheerio) builds it,
 * css-select queries it. For sources that read offers from portal pages (titles, "Rif. offerta", the
 * job-info rows, <time datetime>), and for the JSON-LD blocks of a page. Bounded: only the first
 * MAX_PAGE_CHARS characters are parsed, parsing stops once elements nest deeper than MAX_PAGE_DEPTH
 * (htmlparser2 keeps its open elements in an array it shifts, so depth costs it quadratic time), and
 * text is collected without recursion: a hostile page never takes long and never overflows the stack.
 */
import { Parser } from 'htmlparser2';
import { selectAll, selectOne } from 'css-select';
import { DomHandler, type AnyNode, type Document, type Element } from 'domhandler';
import { BLOCK, DROP_CONTENT, tidyLines } from './text.ts';

export type { Document, Element } from 'domhandler';

/** Pages beyond this size are cut: an offer page is a few hundred KB at most. */
export const MAX_PAGE_CHARS = 2_000_000;
/**
 * Elements nested deeper than this lose their content: real pages stay within a few dozen levels, and
 * css-select's cost grows with the square of the depth (100,000 nested <div>s: 20 s for one query).
 */
export const MAX_PAGE_DEPTH = 256;

export interface HtmlPage {
  readonly document: Document;
  /** Every element matching a CSS selector, in document order (below `from` when given). */
  select(selector: string, from?: Element | Document): Element[];
  /** The first element matching a CSS selector, or undefined. */
  selectOne(selector: string, from?: Element | Document): Element | undefined;
  /** The text of an element as a follower reads it: blocks on their own lines, script/style dropped. */
  text(el: Element | Document | undefined): string;
  /** An attribute's value (entities decoded), or undefined. */
  attr(el: Element | undefined, name: string): string | undefined;
}

/** Parses a page (lenient, like a browser: unclosed tags, bare '&', stray '<' are all fine). */
export function load(html: string): HtmlPage {
  const document = parseBounded(html.length > MAX_PAGE_CHARS ? html.slice(0, MAX_PAGE_CHARS) : html);
  prune(document, MAX_PAGE_DEPTH);
  return {
    document,
    select: (selector, from = document) => selectAll(selector, from),
    selectOne: (selector, from = document) => (selectOne(selector, from) as Element | null) ?? undefined,
    text: (el) => (el ? textOf(el) : ''),
    attr: (el, name) => el?.attribs[name.toLowerCase()],
  };
}

/** Counts how deep the open elements go, so parsing can stop at a depth no real page reaches. */
class DepthHandler extends DomHandler {
  depth = 0;
  tooDeep = false;
  override onopentag(name: string, attribs: Record<string, string>): void {
    if (++this.depth > MAX_PAGE_DEPTH) this.tooDeep = true;
    super.onopentag(name, attribs);
  }
  override onclosetag(): void {
    this.depth--;
    super.onclosetag();
  }
}

const CHUNK = 16 * 1024;

function parseBounded(html: string): Document {
  const handler = new DepthHandler();
  const parser = new Parser(handler, { decodeEntities: true });
  for (let i = 0; i < html.length && !handler.tooDeep; i += CHUNK) parser.write(html.slice(i, i + CHUNK));
  parser.end();
  return handler.root;
}

/** Empties every element deeper than `maxDepth` (iteratively). */
function prune(document: Document, maxDepth: number): void {
  const stack: Array<{ node: AnyNode; depth: number }> = document.children.map((node) => ({ node, depth: 1 }));
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (!('children' in node)) continue;
    if (depth >= maxDepth) { node.children = []; continue; }
    for (const c of node.children) stack.push({ node: c, depth: depth + 1 });
  }
}

function isElement(n: AnyNode): n is Element {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

/** Text of a subtree, iteratively (no recursion on deep trees). */
function textOf(root: Element | Document): string {
  const out: string[] = [];
  // A stack of nodes still to visit; a string marks "emit this" (the line break after a block).
  const stack: Array<AnyNode | string> = [...root.children].reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node === 'string') { out.push(node); continue; }
    if (node.type === 'text') { out.push((node as unknown as { data: string }).data); continue; }
    if (node.type === 'cdata') { stack.push(...[...(node as unknown as { children: AnyNode[] }).children].reverse()); continue; }
    if (!isElement(node)) continue;
    const name = node.name.toLowerCase();
    if (DROP_CONTENT.has(name)) continue;
    const block = BLOCK.has(name);
    if (block) { out.push('\n'); stack.push('\n'); }
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!);
  }
  return tidyLines(out.join(''));
}
