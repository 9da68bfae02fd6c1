// SPDX-License-Identifier: EUPL-1.2
/**
 * Every source file says its licence in its first lines (`SPDX-License-Identifier: EUPL-1.2`), as the
 * reuse rules of the Italian public administration ask: a file copied out of the repository keeps it.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, extname } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const DIRS = ['src', 'test', 'bench', 'bin', 'scripts'];
const EXTS = new Set(['.ts', '.js', '.mjs', '.cjs', '.lua', '.css', '.sh']);

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(p).isDirectory()) yield* files(p);
    else if (EXTS.has(extname(name))) yield p;
  }
}

describe('licence headers', () => {
  it('every source file starts with the EUPL-1.2 SPDX line', () => {
    const missing: string[] = [];
    let seen = 0;
    for (const d of DIRS) {
      for (const f of files(join(ROOT, d))) {
        const rel = relative(ROOT, f);
        // The feedparser conformance cases are third-party test data with their own licence.
        if (rel.startsWith('test/conformance/feedparser/')) continue;
        seen++;
        const head = readFileSync(f, 'utf8').split('\n').slice(0, 3).join('\n');
        if (!/SPDX-License-Identifier: EUPL-1\.2/.test(head)) missing.push(rel);
      }
    }
    expect(seen).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });
});
