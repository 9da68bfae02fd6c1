// SPDX-License-Identifier: EUPL-1.2
import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { closedText, renderDigest } from '../../../src/format/digest.ts';
import { previewLength } from '../../../src/format/length.ts';
import { publisher } from './fixtures.ts';

describe('renderDigest', () => {
  it('announces how many offers, for whom, and links to them', () => {
    const p = publisher({ hashtags: ['LavoroPescara'] });
    const post = renderDigest(12, p, 'twitter', 'https://lavoro.provincia.pescara.it/offerte');
    expect(post.text).toContain('12 nuove offerte di lavoro – Provincia di Pescara');
    expect(post.text).toContain('https://lavoro.provincia.pescara.it/offerte');
    expect(post.text).toContain('#LavoroPescara');
    expect(post.link).toBe('https://lavoro.provincia.pescara.it/offerte');
    expect(twitterText.parseTweet(post.text).valid).toBe(true);
    expect(renderDigest(1, p, 'facebook', 'https://x.it/').text).toContain('1 nuova offerta di lavoro');
  });

  it('stays valid on X with a very long publisher name and required text', () => {
    const p = publisher({ name: `Centro per l'Impiego ${'della Provincia '.repeat(20)}`, requiredText: 'Offerte rivolte a entrambi i sessi.' });
    const post = renderDigest(40, p, 'twitter', 'https://x.it/o');
    expect(twitterText.parseTweet(post.text).valid).toBe(true);
    expect(post.text).toContain('40 nuove offerte di lavoro');
    expect(post.text).toContain('Offerte rivolte a entrambi i sessi.');
  });
});

describe('closedText', () => {
  it('marks the post as closed and keeps the original', () => {
    const t = closedText('💼 Cuoco/a\n📍 Penne', 'facebook');
    expect(t).toContain('chiusa');
    expect(t).toContain('💼 Cuoco/a\n📍 Penne');
    expect(closedText(t, 'facebook')).toBe(t);
  });

  it('stays within the Facebook limit', () => {
    const t = closedText('parola 😀 '.repeat(8000), 'facebook');
    expect(t.length).toBeLessThanOrEqual(63_206);
    expect(t).toContain('chiusa');
  });

  it('stays within the limit of the network it is for', () => {
    const t = closedText('parola '.repeat(100), 'twitter');
    expect(t).toContain('chiusa');
    expect(previewLength(t, 'twitter').valid).toBe(true);
  });
});
