// SPDX-License-Identifier: EUPL-1.2
/**
 * Contract types in the words a follower reads: schema.org employmentType values mapped to Italian,
 * Italian wording kept as the office wrote it.
 */
const SCHEMA_TO_ITALIAN: Record<string, string> = {
  FULL_TIME: 'Tempo pieno',
  PART_TIME: 'Part-time',
  TEMPORARY: 'Tempo determinato',
  INTERN: 'Tirocinio',
  CONTRACTOR: 'Collaborazione',
  PER_DIEM: 'A giornata',
};

const LOOKS_LIKE_CONTRACT = new RegExp(
  [
    'tempo\\s+(pieno|parziale|determinato|indeterminato)', 'part[\\s-]?time', 'full[\\s-]?time',
    'apprendistato', 'tirocinio', 'stage', 'somministrazione', 'collaborazione', 'interinale',
    'a\\s+chiamata', 'intermittente', 'stagionale', 'lavoro\\s+autonomo', 'partita\\s+iva', 'a\\s+giornata',
    'contratto', '^(FULL_TIME|PART_TIME|TEMPORARY|INTERN|CONTRACTOR|PER_DIEM|VOLUNTEER|OTHER)$',
  ].join('|'),
  'i',
);

/** One employmentType value → the word a follower reads (OTHER and unknown values as written). */
export function contractWord(value: string): string {
  const key = value.trim().toUpperCase().replace(/[\s-]+/g, '_');
  return SCHEMA_TO_ITALIAN[key] ?? value.trim();
}

export function looksLikeContract(category: string): boolean {
  return category.length <= 80 && LOOKS_LIKE_CONTRACT.test(category.trim());
}
