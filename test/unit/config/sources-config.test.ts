// SPDX-License-Identifier: EUPL-1.2
/** Issue 12: a publisher's sources — feeds optional, any mix of feeds, inbox, api, but at least one. */
import { describe, it, expect } from 'vitest';
import { parseConfig } from '../../../src/config/load.ts';
import { readEnvironment } from '../../../src/config/env.ts';

const env = readEnvironment({ DASH_PW: 'dash-pass', PESCARA_API_TOKEN: 'api-token-from-env-0001' } as NodeJS.ProcessEnv);
const yaml = (sources: string) => `
dashboard:
  username: operator
  password: \${DASH_PW}
publishers:
  - id: pescara
    name: Provincia di Pescara
${sources}
    channels:
      twitter:
        appKey: k-123456
        appSecret: s-123456
        accessToken: t-123456
        accessSecret: a-123456
`;

describe('publishers[] sources', () => {
  it('needs at least one source, in Italian and in English', () => {
    expect(() => parseConfig(yaml(''), { env })).toThrow(/publishers\[0\]: serve almeno una fonte di offerte \(feeds, inbox, api, pages\)/);
    expect(() => parseConfig(yaml('    feeds: []'), { env, lang: 'en' })).toThrow(/publishers\[0\]: needs at least one source of offers/);
  });

  it('takes an inbox alone (feeds default to []), with its defaults', () => {
    const { config } = parseConfig(yaml('    inbox:\n      path: /srv/sil/pescara\n      link: "https://www.example.it/offerta/{{code}}"'), { env });
    const p = config.publishers[0]!;
    expect(p.feeds).toEqual([]);
    expect(p.inbox).toEqual({ path: '/srv/sil/pescara', link: 'https://www.example.it/offerta/{{code}}', settle: 5000, pollInterval: 2000 });
  });

  it('refuses an inbox link template without {{code}}', () => {
    expect(() => parseConfig(yaml('    inbox:\n      path: /srv/sil\n      link: "https://www.example.it/offerte"'), { env })).toThrow(/publishers\[0\]\.inbox\.link: il modello di link deve contenere \{\{code\}\}/);
  });

  it('takes an api alone; its tokens are secrets (from the environment or written in the file) and must be long', () => {
    const loaded = parseConfig(yaml('    api:\n      tokens: ["${PESCARA_API_TOKEN}", "literal-token-in-file-0002"]'), { env });
    expect(loaded.config.publishers[0]!.api).toMatchObject({ maxBytes: 1024 * 1024 });
    expect(loaded.secrets).toEqual(expect.arrayContaining(['api-token-from-env-0001', 'literal-token-in-file-0002']));
    expect(() => parseConfig(yaml('    api:\n      tokens: ["short"]'), { env, lang: 'en' })).toThrow(/publishers\[0\]\.api\.tokens\[0\]: must be at least 16 characters/);
  });
});
