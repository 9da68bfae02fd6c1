// SPDX-License-Identifier: EUPL-1.2
/**
 * Limit windows are keyed by the account and by what each window is, so publishers that post through
 * one account (the same X user, the same Facebook Page) share them: different `limits` for one account
 * are a config error at start, naming both keys.
 */
import { describe, it, expect } from 'vitest';
import { parseConfig, ConfigError } from '../../../src/config/load.ts';
import { readEnvironment } from '../../../src/config/env.ts';
import { buildChannelBook } from '../../../src/app/runtime.ts';
import { testConfigHead } from '../../helpers/stack.ts';

const ENV = { X_APP_KEY: 'k-TEST-1', X_APP_SECRET: 's-TEST-2', X_A: '111-tokenA-TEST', X_B: '222-tokenB-TEST', X_SECRET: 'as-TEST-3', FB_TOKEN: 'fb-TEST-4', DASHBOARD_PASSWORD: 'dash-TEST-5' };

function publisher(id: string, o: { xToken: string; xLimits?: string; xModifyLimits?: string; pageId: string; fbLimits?: string }): string {
  return `  - id: ${id}
    name: Ufficio ${id}
    feeds:
      - url: https://lavoro.example.it/${id}.xml
    channels:
      twitter:
        appKey: \${X_APP_KEY}
        appSecret: \${X_APP_SECRET}
        accessToken: \${${o.xToken}}
        accessSecret: \${X_SECRET}
${o.xLimits ? `        limits: ${o.xLimits}\n` : ''}${o.xModifyLimits ? `        modifyLimits: ${o.xModifyLimits}\n` : ''}      facebook:
        pageId: "${o.pageId}"
        pageAccessToken: \${FB_TOKEN}
${o.fbLimits ? `        limits: ${o.fbLimits}\n` : ''}`;
}

function book(...pubs: string[]) {
  const yaml = `${testConfigHead({ redisUrl: 'redis://127.0.0.1:6379', prefix: 'unused', concurrency: 1, postTimeout: '3s' })}\n${pubs.join('')}`;
  const loaded = parseConfig(yaml, { env: readEnvironment(ENV as NodeJS.ProcessEnv), source: 'test config' });
  return () => buildChannelBook(loaded.config, process.cwd());
}

describe('publishers that share an account', () => {
  it('with different limits on one X user: a ConfigError naming both keys and the account', () => {
    const build = book(
      publisher('pescara', { xToken: 'X_A', pageId: '1001' }),
      publisher('chieti', { xToken: 'X_B', pageId: '1002' }),
      publisher('teramo', { xToken: 'X_A', xLimits: '[{ max: 50, per: 15m }]', pageId: '1003' }),
    );
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/publishers\[0\]\.channels\.twitter\.limits e publishers\[2\]\.channels\.twitter\.limits/);
    expect(build).toThrow(/"pescara" e "teramo".*\(x-user-111\)/);
    expect(build).toThrow(/100 ogni 15m, 17 ogni 1d \/ 50 ogni 15m/);
  });

  it('with different limits on one Facebook Page: the same error for Facebook', () => {
    const build = book(
      publisher('pescara', { xToken: 'X_A', pageId: '1001', fbLimits: '[{ max: 10, per: 1h }]' }),
      publisher('chieti', { xToken: 'X_B', pageId: '1001' }),
    );
    expect(build).toThrow(/publishers\[0\]\.channels\.facebook\.limits e publishers\[1\]\.channels\.facebook\.limits.*\(fb-1001\)/);
  });

  it('with the same limits, even written in another order, or on different accounts: accepted', () => {
    const build = book(
      publisher('pescara', { xToken: 'X_A', xLimits: '[{ max: 100, per: 15m }, { max: 17, per: 24h }]', pageId: '1001', fbLimits: '[{ max: 5, per: 1h }]' }),
      publisher('teramo', { xToken: 'X_A', xLimits: '[{ max: 17, per: 24h }, { max: 100, per: 15m }]', pageId: '1002' }),
    );
    expect(build().all()).toHaveLength(4);
  });

  it('with the same posting limits but different modifyLimits on one X user: a ConfigError naming both modifyLimits keys', () => {
    const build = book(
      publisher('pescara', { xToken: 'X_A', pageId: '1001' }),
      publisher('teramo', { xToken: 'X_A', xModifyLimits: '[{ max: 10, per: 15m }]', pageId: '1002' }),
    );
    expect(build).toThrow(/publishers\[0\]\.channels\.twitter\.modifyLimits e publishers\[1\]\.channels\.twitter\.modifyLimits/);
    expect(build).toThrow(/50 ogni 15m, 50 ogni 1d \/ 10 ogni 15m/);
  });
});
