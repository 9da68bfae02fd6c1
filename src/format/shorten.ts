// SPDX-License-Identifier: EUPL-1.2
/** Cutting free text to a length by whole words, ending with "…", for posts that are too long. */

export const ELLIPSIS = '…';

/** Code points, so an emoji or accented letter is never split in half. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * `value` cut to at most `maxChars` code points at a word boundary, with "…" appended when cut.
 * '' when not even one whole word fits: half a word reads worse than no word.
 */
export function shortenWords(value: string, maxChars: number): string {
  const chars = Array.from(value);
  if (chars.length <= maxChars) return value;
  if (maxChars < 2) return '';
  const head = chars.slice(0, maxChars - 1).join('');
  // Was the cut exactly at a word end? Then keep the whole head; else back up to the last space.
  const nextChar = chars[maxChars - 1] ?? '';
  const cut = /\s/.test(nextChar) ? head : head.replace(/\s*\S*$/u, '');
  // A dangling comma, dash or colon before the ellipsis reads like a typo.
  const tidy = cut.replace(/[\s,;:.\-–—(/]+$/u, '');
  return tidy === '' ? '' : `${tidy}${ELLIPSIS}`;
}
