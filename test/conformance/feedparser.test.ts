// SPDX-License-Identifier: EUPL-1.2
/**
 * The Python feedparser project's cases, restated in our terms (see feedparser/README.md; BSD licence in
 * feedparser/LICENSE), run through the real parse path. One `it` per case so a failure names its file.
 * The cases live in the repository: a missing or short case file fails the run (a vacuous pass is a bug).
 */
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFeedBytes, type ParsedItem } from '../../src/feeds/pipeline.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, 'feedparser');
const casesFile = path.join(root, 'cases.json');
/** How many cases the copied selection holds (feedparser/README.md): fewer means the copy is broken. */
const EXPECTED_CASES = 192;
const exceptions: Array<{ file: string; reason: string }> = JSON.parse(readFileSync(path.join(here, 'exceptions.json'), 'utf8'));
const excepted = new Set(exceptions.map((e) => e.file));

interface Case { file: string; field: 'title' | 'url' | 'id' | 'text'; expected: string; note?: string }
if (!existsSync(casesFile)) throw new Error(`feedparser conformance: ${casesFile} is missing (the cases belong in the repository, see test/conformance/feedparser/README.md)`);
const cases: Case[] = JSON.parse(readFileSync(casesFile, 'utf8'));

const collapse = (s: string | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();

function fieldOf(item: ParsedItem | undefined, field: Case['field']): string | undefined {
  if (!item) return undefined;
  if (field === 'id') return item.sourceId;
  return item[field];
}

let passed = 0;
let ran = 0;

describe('feedparser conformance', () => {
  it(`finds all ${EXPECTED_CASES} cases`, () => {
    expect(cases.length, `${casesFile} holds ${cases.length} cases`).toBeGreaterThanOrEqual(EXPECTED_CASES);
  });

  for (const c of cases) {
    const test = excepted.has(c.file) ? it.todo : it;
    test(`${c.file} → ${c.field}`, () => {
      ran++;
      const body = readFileSync(path.join(root, c.file));
      const feed = parseFeedBytes(body, undefined, {
        publisherId: 'conformance', timezone: 'Europe/Rome', feedUrl: `http://conformance.example/${c.file}`,
      });
      expect(collapse(fieldOf(feed.items[0], c.field))).toBe(collapse(c.expected));
      passed++;
    });
  }

  afterAll(() => {
    console.log(`feedparser conformance: ${passed}/${ran} passed (${exceptions.length} listed as exceptions)`);
  });
});
