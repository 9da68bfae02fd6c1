// SPDX-License-Identifier: EUPL-1.2
/** D.Lgs. 276/2003 art. 9: every post names the office and the offer's reference, and no shortening cuts them. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import twitterText from 'twitter-text';
import { renderPost } from '../../../src/format/render.ts';
import { compileTemplate, defaultTemplatePath } from '../../../src/format/templates.ts';
import { offer, publisher } from './fixtures.ts';

const words = (n: number) => Array.from({ length: n }, (_, i) => `parola${i}`).join(' ');

describe('the office and the reference in every default post', () => {
  for (const network of ['twitter', 'facebook'] as const) {
    it(`${network}: kept whole however long the offer`, () => {
      const template = compileTemplate(readFileSync(defaultTemplatePath(network), 'utf8'), network);
      const pub = publisher({ name: 'Provincia di Pescara – Servizi per il lavoro', requiredText: 'Offerta rivolta a entrambi i sessi (D.Lgs. 198/2006, art. 27).' });
      const long = offer({ title: `Tecnico manutentore ${words(40)}`, text: words(3000), employer: `Ditta ${words(30)}`, code: '0130PE0000000000000000001' });
      const r = renderPost(long, pub, network, template);
      expect(r.valid).toBe(true);
      expect(r.post.text).toContain('Provincia di Pescara – Servizi per il lavoro');
      expect(r.post.text).toContain('0130PE0000000000000000001');
      if (network === 'twitter') expect(twitterText.parseTweet(r.post.text).valid).toBe(true);
    });
  }
});
