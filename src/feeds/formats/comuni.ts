// SPDX-License-Identifier: EUPL-1.2
/**
 * Belfiore code (the "codice catastale" a SIL writes in idcomune/codcomune) → comune name and province
 * sigla, from ANPR's list of comuni (Ministero dell'Interno, CC-BY-4.0) as embedded in
 * @marketto/belfiore-connector-embedded. That package answers only asynchronously, while parsing is
 * synchronous in every process, so scripts/generate-comuni.ts writes its list to data/comuni-anpr.tsv
 * and this module reads the table once, on first use.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface Place {
  code: string;
  name: string;
  /** Province sigla ("PE"); absent for a foreign country (Z… codes). */
  province?: string;
  /** ISO date after which the code is no longer in force (a comune merged into another, or suppressed). */
  ceased?: string;
}

const TABLE = fileURLToPath(new URL('./data/comuni-anpr.tsv', import.meta.url));
let places: Map<string, Place> | undefined;

function load(): Map<string, Place> {
  const map = new Map<string, Place>();
  for (const line of readFileSync(TABLE, 'utf8').split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const [code, name, province, , ceased] = line.split('\t');
    if (!code || !name) continue;
    const place: Place = { code, name };
    if (province) place.province = province;
    if (ceased) place.ceased = ceased;
    map.set(code, place);
  }
  return map;
}

export const BELFIORE = /^[A-Z]\d{3}$/;

/** The place of a Belfiore code, or undefined when the code is unknown (or not a Belfiore code). */
export function placeOf(code: string): Place | undefined {
  const c = code.trim().toUpperCase();
  if (!BELFIORE.test(c)) return undefined;
  places ??= load();
  return places.get(c);
}
