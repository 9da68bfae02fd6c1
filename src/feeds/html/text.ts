// SPDX-License-Identifier: EUPL-1.2
/**
 * HTML → plain text for social posts, on htmlparser2's streaming tokenizer (no tree is built: linear
 * on hostile input, nothing to recurse into). Not a sanitizer that keeps markup: the output is text only.
 * - contents of elements a reader never sees (script, style, iframe, …) are dropped;
 * - block elements are separated by line breaks so words of adjacent paragraphs never glue together;
 * - entities are decoded exactly once, in text nodes only (attributes are dropped with their tags);
 * - CDATA (XHTML bodies) is literal text, not decoded;
 * - only the first MAX_HTML_SCAN_CHARS characters are read: the text cap is reached long before.
 */
import { Parser } from 'htmlparser2';
import { MAX_HTML_SCAN_CHARS } from '../text-limits.ts';

/** Elements whose content is code, styling or embedded documents: never text for a follower. */
export const DROP_CONTENT: ReadonlySet<string> = new Set([
  'script', 'style', 'template', 'noscript', 'iframe', 'noframes', 'frameset', 'head', 'title', 'svg',
  'math', 'canvas', 'audio', 'video', 'select', 'textarea', 'button', 'xml', 'noembed', 'object', 'plaintext', 'xmp',
]);
/**
 * Unclosed, these swallow the rest of the document (browsers read script/style/iframe… to the end as
 * raw text, and so does htmlparser2); the others, unclosed, only lose their tag and keep their text.
 */
const DROP_TO_END_WHEN_UNCLOSED = new Set(['script', 'style', 'xml', 'iframe', 'noframes', 'noembed', 'title', 'textarea', 'plaintext', 'xmp']);

export const BLOCK: ReadonlySet<string> = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'td', 'th', 'table',
  'section', 'article', 'header', 'footer', 'blockquote', 'pre', 'hr', 'dt', 'dd', 'dl', 'address',
  'figure', 'figcaption', 'form', 'fieldset', 'main', 'nav', 'aside', 'body', 'html', 'caption', 'tbody',
  'thead', 'tfoot', 'legend', 'details', 'summary', 'center',
]);

/** Local name of a tag (an XHTML `xhtml:p` is a `p`). */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return (i >= 0 ? name.slice(i + 1) : name).toLowerCase();
}

/** Plain text of an HTML fragment; line breaks between blocks, spaces collapsed within lines. */
export function htmlToText(html: string): string {
  const src = html.length > MAX_HTML_SCAN_CHARS ? html.slice(0, MAX_HTML_SCAN_CHARS) : html;
  // Most short fields are plain words: no tag, no entity, nothing for a parser to do.
  if (!src.includes('<') && !src.includes('&')) return tidyLines(src);
  const out: string[] = [];
  // One frame per open element whose content is dropped: its text waits here, in case the element
  // turns out to be unclosed and keeps its text.
  const frames: Array<{ name: string; text: string[] }> = [];
  const emit = (s: string) => { (frames.length ? frames[frames.length - 1]!.text : out).push(s); };
  const parser = new Parser({
    onopentag(name) {
      const n = localName(name);
      if (DROP_CONTENT.has(n)) frames.push({ name: n, text: [] });
      else if (BLOCK.has(n)) emit('\n');
    },
    onclosetag(name, isImplied) {
      const n = localName(name);
      if (DROP_CONTENT.has(n)) {
        // Close the innermost frame of this element (an explicit close drops its text).
        for (let i = frames.length - 1; i >= 0; i--) {
          if (frames[i]!.name !== n) continue;
          const [frame] = frames.splice(i, 1);
          if (isImplied && !DROP_TO_END_WHEN_UNCLOSED.has(n)) emit(frame!.text.join(''));
          break;
        }
      } else if (BLOCK.has(n)) emit('\n');
    },
    // CDATA content arrives here undecoded: literal text, as XHTML means it.
    ontext(text) { emit(text); },
  }, { decodeEntities: true, recognizeCDATA: true, recognizeSelfClosing: true });
  parser.write(src);
  parser.end();
  return tidyLines(out.join(''));
}

/** Collapses spaces within lines and runs of empty lines; trims. */
export function tidyLines(s: string): string {
  return s
    .split(/\r?\n|\r/)
    .map((line) => line.replace(/[\s\u00a0\u200b]+/g, ' ').trim())
    .filter((line) => line.length > 0)
    .join('\n');
}

/**
 * For fields that are plain text by format (Atom type="text", JSON Feed content_text): markup
 * characters are literal ("History of the <blink> tag"), but script/style elements and tags that load
 * or run something are still removed, in case a careless consumer ever renders the text as HTML.
 */
export function literalText(s: string): string {
  return tidyLines(
    s.replace(/<(script|style)\b[\s\S]*?(?:<\/\1\s*>|$)/gi, ' ')
      .replace(/<\/?(?:iframe|object|embed|svg|img|link|meta|base|form|frame|frameset|applet)\b[^>]*>?/gi, ' '),
  );
}

/** True when a string seems to carry markup, e.g. an RSS title with `<b>` in it. */
export function looksLikeMarkup(s: string): boolean {
  return /<\/?[a-zA-Z][^>]*>/.test(s);
}
