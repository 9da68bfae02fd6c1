// SPDX-License-Identifier: EUPL-1.2
/**
 * HTML → plain text for social posts: see src/feeds/html/text.ts (htmlparser2's tokenizer). Kept as
 * the module the feed path has always imported.
 */
export { htmlToText, tidyLines, literalText, looksLikeMarkup } from './html/text.ts';
