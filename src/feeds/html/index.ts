// SPDX-License-Identifier: EUPL-1.2
/**
 * The one HTML parser of the service (htmlparser2, with css-select for queries): `htmlToText` for the
 * descriptions of every source, `load` for reading portal pages with CSS selectors.
 */
export { htmlToText, tidyLines, literalText, looksLikeMarkup } from './text.ts';
export { load, MAX_PAGE_CHARS, type HtmlPage, type Document, type Element } from './dom.ts';
