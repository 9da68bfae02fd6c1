// SPDX-License-Identifier: EUPL-1.2
/**
 * CPI offers are semi-structured Italian prose (feeds.md §1.3): when a feed has no typed field for the
 * deadline or the offer code, they are often written in the text ("Scadenza: 15/12/2026", "rif.
 * PE-2026-1001"). Only these two, anchored on their keyword, so a stray date is never taken for a deadline.
 */
const DEADLINE = /\bscadenza(?:\s+(?:candidature|offerta|il|entro\s+il))*\s*[:\-–]?\s*(?:il\s+)?(\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{1,2}\s+\p{L}+\s+\d{4})/iu;
const CODE = /\brif(?:erimento|\.)?\s*(?:n\.?\s*)?[:\-–]?\s*([A-Z0-9][A-Z0-9/_.-]{2,39}[A-Z0-9])/i;

export function deadlineInText(text: string): string | undefined {
  return DEADLINE.exec(text)?.[1];
}

export function codeInText(text: string): string | undefined {
  const code = CODE.exec(text)?.[1];
  // A code has a digit; "rif. ufficio" is a word, not a code.
  return code && /\d/.test(code) ? code : undefined;
}
