// SPDX-License-Identifier: EUPL-1.2
/**
 * "Is this the offer's link?" for reconciliation. Networks echo a link back normalized (X's
 * expanded_url, Facebook's `link`), sometimes with or without a trailing slash, so compare parsed URLs.
 * (Also used by the Facebook adapter; it would sit better in src/channels/, which this part does not own.)
 */
export function sameUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    try { return new URL(u.trim()).href.replace(/\/+$/, ''); } catch { return u.trim().replace(/\/+$/, ''); }
  };
  return norm(a) === norm(b);
}
