// SPDX-License-Identifier: EUPL-1.2
/**
 * The code tables of the standards (data/*.json, each with its source): a code becomes the words a
 * follower reads, or nothing. Never a guess: an unknown code is reported to the caller, who decides to
 * show it as written (contracts) or to leave the field out (working hours), always with a warning.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface CodeTable { source: string; codes: Record<string, string> }
type CodeFile = Record<string, CodeTable>;

const files = new Map<string, CodeFile>();

function table(file: string, name: string): CodeTable {
  let f = files.get(file);
  if (!f) {
    f = JSON.parse(readFileSync(fileURLToPath(new URL(`./data/${file}`, import.meta.url)), 'utf8')) as CodeFile;
    files.set(file, f);
  }
  const t = f[name];
  if (!t) throw new Error(`code table ${name} missing from ${file}`);
  return t;
}

/** The name of `code` in a table, or undefined when the table does not have it. */
export function decode(file: 'cliclavoro-codes.json' | 'myportal-codes.json' | 'hropen-codes.json', name: string, code: string): string | undefined {
  const codes = table(file, name).codes;
  return Object.prototype.hasOwnProperty.call(codes, code) ? codes[code] : undefined;
}
