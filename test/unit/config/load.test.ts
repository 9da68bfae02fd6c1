// SPDX-License-Identifier: EUPL-1.2
import { describe, it, expect } from 'vitest';
import { parseConfig, ConfigError, CREDENTIALS_NOT_LOADED } from '../../../src/config/load.ts';
import { readEnvironment } from '../../../src/config/env.ts';
import { networkIds } from '../../../src/channels/registry.ts';
import type { TwitterConfig } from '../../../src/channels/twitter/config.ts';

const base = (channels: string) => `
dashboard:
  username: operator
  password: \${DASH_PW}
publishers:
  - id: pescara
    name: Provincia di Pescara
    feeds:
      - url: https://www.example.it/offerte.xml
        pollInterval: 15m
${channels}`;

const tw = `    channels:
      twitter:
        appKey: \${X_KEY}
        appSecret: s3cr3t-app
        accessToken: tok-123456
        accessSecret: sec-654321
        limits: [{ max: 100, per: 15m }, { max: 17, per: 24h }]`;

const env = readEnvironment({ DASH_PW: 'dash-pass', X_KEY: 'xkey-abcdef' } as NodeJS.ProcessEnv);

describe('config', () => {
  it('treats the keys in a feed URL as secrets: key-like query parameters and userinfo passwords', () => {
    const yaml = base(tw).replace('https://www.example.it/offerte.xml', 'https://ops:pw-7777@www.example.it/offerte.xml?page=2&ApiKey=lit-key-4242&token=t%2Fok1');
    const { secrets } = parseConfig(yaml, { env });
    expect(secrets).toEqual(expect.arrayContaining(['pw-7777', 'lit-key-4242', 't/ok1', 't%2Fok1']));
    expect(secrets).not.toContain('2');
  });

  it('substitutes ${NAME}, applies defaults and durations', () => {
    const { config, secrets } = parseConfig(base(tw), { env });
    const p = config.publishers[0]!;
    expect(p.timezone).toBe('Europe/Rome');
    expect(p.feeds[0]!.pollInterval).toBe(15 * 60_000);
    expect(p.feeds[0]!.onFirstPoll).toBe('skip');
    expect((p.channels.twitter as TwitterConfig).appKey).toBe('xkey-abcdef');
    expect(p.channels.twitter!.limits).toEqual([{ max: 100, per: 900_000 }, { max: 17, per: 86_400_000 }]);
    expect(config.redis.prefix).toBe('banditore');
    expect(secrets).toEqual(expect.arrayContaining(['dash-pass', 'xkey-abcdef', 's3cr3t-app', 'tok-123456', 'sec-654321']));
    expect(Object.isFrozen(config.publishers[0])).toBe(true);
  });

  it('names the key that uses a missing variable, in Italian by default', () => {
    expect(() => parseConfig(base(tw), { env: readEnvironment({ DASH_PW: 'x' } as NodeJS.ProcessEnv) }))
      .toThrow("publishers[0].channels.twitter.appKey: variabile d'ambiente X_KEY non impostata");
    expect(() => parseConfig(base(tw), { env: readEnvironment({ DASH_PW: 'x' } as NodeJS.ProcessEnv), lang: 'en' }))
      .toThrow(/publishers\[0\]\.channels\.twitter\.appKey: environment variable X_KEY is not set/);
  });

  it('names unknown keys and bad values, in Italian by default and in English when asked', () => {
    const bad = base(tw).replace('pollInterval: 15m', 'pollInterval: soon\n        colour: red').replace('id: pescara', 'id: Pescara!');
    const message = (lang?: 'it' | 'en') => {
      try { parseConfig(bad, { env, ...(lang ? { lang } : {}) }); } catch (e) { expect(e).toBeInstanceOf(ConfigError); return (e as Error).message; }
      throw new Error('no error');
    };
    const it = message();
    expect(it).toContain('publishers[0].feeds[0]: chiave sconosciuta "colour"');
    expect(it).toContain('publishers[0].feeds[0].pollInterval: "soon" non è una durata (scrivere 500ms, 30s, 15m, 1h o 1d)');
    expect(it).toContain('publishers[0].id: deve rispettare [a-z0-9-]+');
    const en = message('en');
    expect(en).toContain('publishers[0].feeds[0]: unknown key "colour"');
    expect(en).toContain('publishers[0].feeds[0].pollInterval: "soon" is not a duration');
    expect(en).toContain('publishers[0].id: must match [a-z0-9-]+');
  });

  it("speaks the file's own dashboard.language, and zod's own messages in it too", () => {
    const bad = base(tw).replace('  password: ${DASH_PW}', '  password: ${DASH_PW}\n  language: en\n  port: "tremila"');
    expect(() => parseConfig(bad, { env })).toThrow(/dashboard\.port: Invalid input/);
    expect(() => parseConfig(bad.replace('language: en', 'language: it'), { env })).toThrow(/dashboard\.port: Input non valido/);
  });

  it('lets a process that calls no network start without the channel credentials, and only those', () => {
    const noX = readEnvironment({ DASH_PW: 'dash-pass' } as NodeJS.ProcessEnv);
    const loaded = parseConfig(base(tw), { env: noX, channelCredentials: 'optional' });
    expect([...loaded.credentialsNotLoaded ?? []]).toEqual(['pescara/twitter']);
    expect((loaded.config.publishers[0]!.channels.twitter as TwitterConfig).appKey).toBe(CREDENTIALS_NOT_LOADED);
    expect(loaded.secrets).not.toContain(CREDENTIALS_NOT_LOADED);
    // The dashboard's password is the role's own: still required.
    expect(() => parseConfig(base(tw), { env: readEnvironment({ X_KEY: 'xkey-abcdef' } as NodeJS.ProcessEnv), channelCredentials: 'optional' }))
      .toThrow("dashboard.password: variabile d'ambiente DASH_PW non impostata");
    // A channel value that must be a URL cannot be judged unloaded: the error still names the variable.
    const url = base(tw).replace('        appKey: ${X_KEY}', '        apiBaseUrl: ${X_URL}\n        appKey: ${X_KEY}');
    expect(() => parseConfig(url, { env: noX, channelCredentials: 'optional' }))
      .toThrow("publishers[0].channels.twitter.apiBaseUrl: variabile d'ambiente X_URL non impostata");
    // With every variable set nothing is marked.
    expect(parseConfig(base(tw), { env, channelCredentials: 'optional' }).credentialsNotLoaded).toBeUndefined();
  });

  it('REDIS_URL overrides redis.url', () => {
    const e = readEnvironment({ DASH_PW: 'x', X_KEY: 'y', REDIS_URL: 'redis://10.0.0.9:6380' } as NodeJS.ProcessEnv);
    expect(parseConfig(base(tw), { env: e }).config.redis.url).toBe('redis://10.0.0.9:6380');
  });

  it('refuses a publisher without channels', () => {
    // The registry's networks, in its order: every channel added there is named.
    expect(() => parseConfig(base('    channels: {}'), { env })).toThrow(`publishers[0].channels: serve almeno un canale (${networkIds().join(', ')})`);
  });
});
