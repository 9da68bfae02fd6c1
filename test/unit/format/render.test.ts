// SPDX-License-Identifier: EUPL-1.2
import twitterText from 'twitter-text';
import { describe, expect, it } from 'vitest';
import { renderPost, previewLength } from '../../../src/format/render.ts';
import { compileTemplate, defaultTemplatePath } from '../../../src/format/templates.ts';
import { readFileSync } from 'node:fs';
import { offer, publisher } from './fixtures.ts';

const xDefault = compileTemplate(readFileSync(defaultTemplatePath('twitter'), 'utf8'), 'default twitter');
const fbDefault = compileTemplate(readFileSync(defaultTemplatePath('facebook'), 'utf8'), 'default facebook');
const words = (n: number) => Array.from({ length: n }, (_, i) => `parola${i}`).join(' ');

describe('renderPost on X', () => {
  it('renders a short offer whole, with place, contract, deadline, link and hashtags', () => {
    const r = renderPost(offer({ text: '' }), publisher({ hashtags: ['CentroImpiego'] }), 'twitter', xDefault);
    expect(r.shortened).toEqual([]);
    expect(r.post.text).toContain('Operaio/a addetto/a al confezionamento');
    expect(r.post.text).toContain('📍 Montesilvano (PE)');
    expect(r.post.text).toContain('📄 Tempo determinato 6 mesi');
    expect(r.post.text).toContain('⏳ Scadenza: 15/12/2026');
    expect(r.post.text).toContain('https://lavoro.provincia.pescara.it/offerte/PE-2026-00123');
    expect(r.post.text).toContain('#CentroImpiego #LavoroMontesilvano');
    expect(r.post.text).not.toMatch(/\n{3,}/);
    expect(r.post.link).toBe('https://lavoro.provincia.pescara.it/offerte/PE-2026-00123');
    expect(twitterText.parseTweet(r.post.text).valid).toBe(true);
    expect(r.length).toBe(twitterText.parseTweet(r.post.text).weightedLength);
    expect(r.limit).toBe(280);
  });

  it('shortens the description by whole words with an ellipsis, keeping link and hashtags', () => {
    const long = offer({ text: words(120) });
    const r = renderPost(long, publisher({ hashtags: ['Lavoro'] }), 'twitter', xDefault);
    expect(r.shortened).toEqual(['text']);
    expect(twitterText.parseTweet(r.post.text).valid).toBe(true);
    expect(r.length).toBeLessThanOrEqual(280);
    expect(r.length).toBeGreaterThan(240); // it cut what was needed, not everything
    expect(r.post.text).toMatch(/parola\d+…/);
    expect(r.post.text).toContain(long.url);
    expect(r.post.text).toContain('#Lavoro #LavoroMontesilvano');
  });

  it('never cuts the required text, and URLs weigh 23 whatever their length', () => {
    const required = 'Offerta rivolta a entrambi i sessi (D.Lgs. 198/2006, art. 27).';
    const url = `https://lavoro.provincia.pescara.it/offerte/${'x'.repeat(150)}`;
    const r = renderPost(offer({ url, text: words(100) }), publisher({ requiredText: required }), 'twitter', xDefault);
    expect(r.post.text.endsWith(`\n${required}`)).toBe(true);
    expect(r.post.text).toContain(url);
    expect(twitterText.parseTweet(r.post.text).valid).toBe(true);
  });

  it('shortens the title after the description and drops hashtags last-first only when still too long', () => {
    const title = `Tecnico/a manutentore ${words(60)}`;
    const tags = ['Alfa', 'Beta', 'Gamma', 'Delta', 'Epsilon', 'Zeta', 'Eta', 'Theta', 'Iota', 'Kappa'].map((t) => `${t}${'x'.repeat(12)}`);
    const r = renderPost(offer({ title, text: words(50) }), publisher({ hashtags: tags }), 'twitter', xDefault);
    expect(twitterText.parseTweet(r.post.text).valid).toBe(true);
    expect(r.shortened).toEqual(expect.arrayContaining(['text', 'title']));
    expect(r.post.text).toContain('💼 Tecnico/a manutentore');
    // Hashtags that survive are the first ones, in order.
    const kept = r.post.text.match(/#\S+/g) ?? [];
    expect(tags.map((t) => `#${t}`).slice(0, kept.length)).toEqual(kept.slice(0, Math.min(kept.length, tags.length)));
    expect(r.post.text).toContain(offer().url);
  });

  it('keeps emoji and accents whole and counts them as X does', () => {
    const text = `Cerchiamo un/una barista 🍹☕ per il bar di Città Sant'Angelo. ${'Più caffè e più cortesia. '.repeat(20)}`;
    const r = renderPost(offer({ text, location: "Città Sant'Angelo" }), publisher(), 'twitter', xDefault);
    expect(twitterText.parseTweet(r.post.text).valid).toBe(true);
    expect(r.post.text).toContain('#LavoroCittàSantAngelo');
    expect(r.post.text).not.toMatch(/\uFFFD/);
    expect(r.post.text).toBe(r.post.text.normalize('NFC'));
  });

  it('adds the link on X when a custom template forgot it', () => {
    const r = renderPost(offer(), publisher(), 'twitter', compileTemplate('{{title}}', 'custom'));
    expect(r.post.text).toBe(`Operaio/a addetto/a al confezionamento\n${offer().url}`);
  });
});

describe('renderPost on Facebook', () => {
  it('posts the full description as the message and the offer URL as link', () => {
    const o = offer({ text: 'Prima frase.\n\nSeconda frase con dettagli.' });
    const r = renderPost(o, publisher(), 'facebook', fbDefault);
    expect(r.post.link).toBe(o.url);
    expect(r.post.text).toContain('Prima frase.\n\nSeconda frase con dettagli.');
    expect(r.post.text).toContain('🏢 Conserve Adriatiche srl');
    expect(r.post.text).toContain('👥 Posti disponibili: 2');
    expect(r.post.text).toContain('Codice offerta: PE-2026-00123');
    expect(r.limit).toBe(63_206);
    expect(r.shortened).toEqual([]);
  });

  it('an anonymous offer has no employer line', () => {
    const r = renderPost(offer({ employer: undefined, positions: undefined }), publisher(), 'facebook', fbDefault);
    expect(r.post.text).not.toContain('🏢');
    expect(r.post.text).not.toContain('Posti');
  });

  it('shortens a description longer than Facebook allows', () => {
    const r = renderPost(offer({ text: words(9000) }), publisher(), 'facebook', fbDefault);
    expect(r.post.text.length).toBeLessThanOrEqual(63_206);
    expect(r.shortened).toEqual(['text']);
    expect(r.valid).toBe(true);
  });
});

describe('previewLength', () => {
  it('counts with twitter-text on X and by characters on Facebook', () => {
    expect(previewLength('ciao https://example.com/' + 'a'.repeat(100), 'twitter').length).toBe(5 + 23);
    expect(previewLength('😀', 'twitter').length).toBe(2);
    expect(previewLength('x'.repeat(281), 'twitter').valid).toBe(false);
    expect(previewLength('abc', 'facebook')).toEqual({ length: 3, limit: 63_206, valid: true });
  });
});

describe('renderPost with hostile input', () => {
  it('stays valid on X with control characters, BOMs, lone surrogates and one endless word', () => {
    const nasty = offer({
      title: `Cuoco\u0000/a\uFEFF \uD800 ${'a'.repeat(500)}`,
      text: `${'x'.repeat(3000)} \u0007 fine`,
      location: '\uFFFE',
      employer: undefined,
    });
    const r = renderPost(nasty, publisher(), 'twitter', xDefault);
    expect(twitterText.parseTweet(r.post.text).valid).toBe(true);
    expect(r.valid).toBe(true);
    expect(r.post.text).toContain(nasty.url);
    expect(r.post.text).toContain('Cuoco/a');
    expect(r.post.text).not.toMatch(/[\u0000\u0007\uFEFF\uFFFE]/);
  });

  it('reports valid=false instead of looping when the required text alone is too long', () => {
    const r = renderPost(offer(), publisher({ requiredText: 'parola '.repeat(60) }), 'twitter', xDefault);
    expect(r.valid).toBe(false);
    expect(r.post.text).toContain(offer().url);
    expect(r.length).toBeGreaterThan(280);
  });
});
