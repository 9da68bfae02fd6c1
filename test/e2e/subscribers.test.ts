// SPDX-License-Identifier: EUPL-1.2
/** `banditore subscribers import|export`: the real binary, real Redis; what the CSV says is what Redis keeps, and what the export gives back. */
import { describe, it, expect, afterEach } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cli, writeConfig } from '../helpers/cli.ts';
import { testConfigHead } from '../helpers/stack.ts';
import { connectTestRedis, cleanPrefix, uniquePrefix, TEST_REDIS_URL } from '../helpers/redis.ts';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => { await cleanup?.(); cleanup = undefined; });

describe('banditore subscribers', () => {
  it('imports a CSV with its consent records (bad rows named), skips known addresses, and exports them all', async () => {
    const redis = await connectTestRedis();
    const prefix = uniquePrefix('subs');
    cleanup = async () => { await cleanPrefix(redis, prefix); await redis.quit(); };
    const file = writeConfig(`${testConfigHead({ redisUrl: TEST_REDIS_URL, prefix, concurrency: 1, postTimeout: '3s' })}
  - id: pescara
    name: Provincia di Pescara
    feeds:
      - url: http://127.0.0.1:9/feed.xml
    channels:
      newsletter:
        from: offerte@lavoro.example.it
        smtp: { url: "smtp://127.0.0.1:2525" }
        privacyUrl: https://lavoro.example.it/privacy
`);
    const env = { DASHBOARD_PASSWORD: 'dash-TEST-6666', REDIS_URL: TEST_REDIS_URL };
    const csv = join(dirname(file), 'iscritti.csv');
    writeFileSync(csv, [
      'email,consentedAt,consentMethod,places,contracts,words',
      'Anna.Verdi@Example.org,2025-03-01T10:00:00Z,modulo cartaceo CPI Pescara,Pescara;TE,apprendistato,cuoco',
      'non-un-indirizzo,2025-03-01T10:00:00Z,sportello,,,',
      'marco@example.org,ieri,sportello,,,',
      'luca@example.org,2025-04-02,"newsletter precedente, doppio opt-in",,,',
    ].join('\n'));
    const r = await cli(['subscribers', 'import', '--config', file, 'pescara', csv], env);
    expect(r.stdout).toContain('2 iscritti importati, 0 già presenti, 2 righe non valide');
    expect(r.stderr).toContain('riga 3: email');
    expect(r.stderr).toContain('riga 4: consentedAt');
    expect(r.code).toBe(1);

    const again = await cli(['subscribers', 'import', '--config', file, 'pescara', csv], env);
    expect(again.stdout).toContain('0 iscritti importati, 2 già presenti');

    const out = join(dirname(file), 'export.csv');
    const e = await cli(['subscribers', 'export', '--config', file, 'pescara', out], env);
    expect(e.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    expect(lines[0]).toBe('email,state,consentedAt,consentMethod,privacyVersion,consentText,places,contracts,words,createdAt,confirmedAt');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('anna.verdi@example.org,confirmed,2025-03-01T10:00:00.000Z,modulo cartaceo CPI Pescara,,,Pescara;TE,apprendistato,cuoco,' + lines[1]!.split(',')[9] + ',2025-03-01T10:00:00.000Z');
    expect(lines[2]).toContain('luca@example.org,confirmed,2025-04-02T00:00:00.000Z,"newsletter precedente, doppio opt-in"');
    expect(await redis.scard(`${prefix}:ch:newsletter:confirmed:pescara`)).toBe(2);

    const usage = await cli(['subscribers', 'delete', '--config', file, 'pescara', out], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('uso: banditore subscribers import|export');
  });
});
