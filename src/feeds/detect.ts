// SPDX-License-Identifier: EUPL-1.2
/**
 * What a body is, judged by its content (servers label feeds text/html, text/plain, application/xml …):
 * XML feed, JSON (JSON Feed or JSON-LD), or an HTML page. Also the guards that run before any parser:
 * DOCTYPE entity declarations are refused (XXE, billion laughs) and truncated XML is refused, because a
 * lenient parser would happily return the first half of a feed.
 */
import { FeedError } from './errors.ts';

export type BodyKind = 'xml' | 'json' | 'html';

const HTML_ROOTS = new Set(['html', 'head', 'body', 'meta', 'title', 'div', 'p', 'table', 'script', 'h1', 'br']);

/** Skips the XML declaration, comments, processing instructions and white space at the start. */
function prologEnd(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (text.startsWith('<?', i)) { const e = text.indexOf('?>', i); if (e < 0) return text.length; i = e + 2; continue; }
    if (text.startsWith('<!--', i)) { const e = text.indexOf('-->', i); if (e < 0) return text.length; i = e + 3; continue; }
    return i;
  }
}

export function detectBody(text: string): { kind: BodyKind; root?: string; start: number } {
  const start = prologEnd(text);
  const c = text[start];
  if (c === '{' || c === '[') return { kind: 'json', start };
  if (c !== '<') throw new FeedError('not a feed (neither XML nor JSON)');
  if (/^<!doctype\s+html\b/i.test(text.slice(start, start + 20))) return { kind: 'html', start };
  let rootAt = start;
  if (text.startsWith('<!', start)) {
    // DOCTYPE: only a plain one (RSS 0.91 has DOCTYPE PUBLIC) is allowed; no internal subset entities.
    const doctype = /^<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/i.exec(text.slice(start, start + 1_000_000));
    if (!doctype) throw new FeedError('not a feed (unreadable DOCTYPE)');
    if (doctype[1] && /<!ENTITY/i.test(doctype[1])) throw new FeedError('XML declares entities in its DOCTYPE (refused: entity expansion / XXE)');
    rootAt = prologEnd(text.slice(start + doctype[0].length)) + start + doctype[0].length;
  }
  const root = /^<([a-zA-Z_][\w.:-]*)/.exec(text.slice(rootAt, rootAt + 200))?.[1];
  if (!root) throw new FeedError('not a feed (no root element)');
  // Pages served as fragments (a CMS error page starting with <head> or <body>) are HTML too.
  if (HTML_ROOTS.has(root.toLowerCase())) return { kind: 'html', root, start: rootAt };
  return { kind: 'xml', root, start: rootAt };
}

/** A feed that ends before its root element is closed was cut off in transit or by the server. */
export function assertXmlComplete(text: string, root: string): void {
  let end = text.length;
  // Trailing white space, comments and NUL padding are allowed after the root element.
  for (;;) {
    while (end > 0 && /[\s\u0000]/.test(text[end - 1]!)) end--;
    if (text.endsWith('-->', end) ) { const s = text.lastIndexOf('<!--', end); if (s < 0) break; end = s; continue; }
    break;
  }
  const tail = text.slice(Math.max(0, end - root.length - 10), end);
  const closes = new RegExp(`</\\s*${root.replace(/[.]/g, '\\.')}\\s*>$`, 'i').test(tail);
  const selfClosed = end === text.indexOf('>', text.indexOf(`<${root}`)) + 1 && text[end - 2] === '/';
  if (!closes && !selfClosed) throw new FeedError('truncated XML (the root element is never closed)');
}
