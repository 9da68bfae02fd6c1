// SPDX-License-Identifier: EUPL-1.2
/**
 * Size caps for normalized fields: a feed may carry a 5 MB description, a follower must never see it,
 * and Redis job data must stay small.
 */
export const MAX_TITLE_CHARS = 300;
export const MAX_TEXT_CHARS = 5_000;
export const MAX_FIELD_CHARS = 500;
/** HTML beyond this many characters is not even scanned: the text cap is reached long before. */
export const MAX_HTML_SCAN_CHARS = 60_000;

/** Cuts at a code-point boundary (never half a surrogate pair) and marks the cut with an ellipsis. */
export function capText(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return s.slice(0, end).trimEnd() + '…';
}

/** Collapses every run of white space (incl. NBSP and line breaks) to one space and trims. */
export function collapseWhitespace(s: string): string {
  return s.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
}
