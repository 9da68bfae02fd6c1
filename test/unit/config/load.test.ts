import { describe, it, expect } from 'vitest';
import { parseConfig, ConfigError } from '../../../src/config/load.ts';
import { readEnvironment } from '../../../src/config/env.ts';

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
    expect(p.channels.twitter!.appKey).toBe('xkey-abcdef');
    expect(p.channels.twitter!.limits).toEqual([{ max: 100, per: 900_000 }, { max: 17, per: 86_400_000 }]);
    expect(config.redis.prefix).toBe('banditore');
    expect(secrets).toEqual(expect.arrayContaining(['dash-pass', 'xkey-abcdef', 's3cr3t-app', 'tok-123456', 'sec-654321']));
    expect(Object.isFrozen(config.publishers[0])).toBe(true);
  });

  it('names the key that uses a missing variable', () => {
    expect(() => parseConfig(base(tw), { env: readEnvironment({ DASH_PW: 'x' } as NodeJS.ProcessEnv) }))
      .toThrow(/publishers\[0\]\.channels\.twitter\.appKey: environment variable X_KEY is not set/);
  });

  it('names unknown keys and bad values', () => {
    const bad = base(tw).replace('pollInterval: 15m', 'pollInterval: soon\n        colour: red');
    let err: Error | undefined;
    try { parseConfig(bad, { env }); } catch (e) { err = e as Error; }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err!.message).toContain('publishers[0].feeds[0]: unknown key "colour"');
    expect(err!.message).toContain('publishers[0].feeds[0].pollInterval: "soon" is not a duration');
  });

  it('REDIS_URL overrides redis.url', () => {
    const e = readEnvironment({ DASH_PW: 'x', X_KEY: 'y', REDIS_URL: 'redis://10.0.0.9:6380' } as NodeJS.ProcessEnv);
    expect(parseConfig(base(tw), { env: e }).config.redis.url).toBe('redis://10.0.0.9:6380');
  });

  it('refuses a publisher without channels', () => {
    expect(() => parseConfig(base('    channels: {}'), { env })).toThrow(/publishers\[0\]\.channels: needs twitter, facebook or both/);
  });
});
