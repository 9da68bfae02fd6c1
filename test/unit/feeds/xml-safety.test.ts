// SPDX-License-Identifier: EUPL-1.2
/**
 * Defence in depth: detect.ts refuses DOCTYPE entity declarations before any parser runs; these tests
 * show that even without that guard feedsmith would not expand entities or read files.
 */
import { describe, expect, it } from 'vitest';
import { readWithFeedsmith } from '../../../src/feeds/read-feedsmith.ts';

const doc = (dtd: string, title: string) =>
  `<?xml version="1.0"?>\n<!DOCTYPE rss [${dtd}]>\n<rss version="2.0"><channel><title>t</title><item><title>${title}</title><link>http://x.example/1</link></item></channel></rss>`;

describe('feedsmith without our DOCTYPE guard', () => {
  it('does not expand nested entities (billion laughs)', () => {
    const dtd = '<!ENTITY a "lollollollol">' + Array.from({ length: 8 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('');
    const { items } = readWithFeedsmith(doc(dtd, 'x&i;y'), 'http://x.example/');
    expect((items[0]!.title?.value ?? '').length).toBeLessThan(100);
  });
  it('refuses SYSTEM and PUBLIC entities (fast-xml-parser throws) instead of reading them', () => {
    expect(() => readWithFeedsmith(doc('<!ENTITY xxe SYSTEM "file:///etc/passwd">', 'a&xxe;b'), 'http://x.example/'))
      .toThrow('invalid feed: External entities are not supported');
    expect(() => readWithFeedsmith(doc('<!ENTITY xxe PUBLIC "-//A//B" "http://127.0.0.1:1/x.dtd">', 'a&xxe;b'), 'http://x.example/'))
      .toThrow(/invalid feed: /); // FXP does not even read PUBLIC identifiers
  });
});
