// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore doubt` through the real binary, on real Redis: the posts in doubt of a seeded world, in
 * Italian by default (and --json, and --publisher), oldest first, with what only an operator can settle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { cli, writeConfig } from '../helpers/cli.ts';
import { redisWorld, worldYaml, type RedisWorld } from '../helpers/operator-world.ts';
import { fixtureWorld } from '../helpers/fixture-world.ts';

const SLOW = 240_000;
let world: RedisWorld | undefined;
afterEach(async () => { await world?.close(); world = undefined; });

describe('banditore doubt', () => {
  it('lists the posts in doubt, oldest first, per publisher, in Italian and as JSON', async () => {
    const w = fixtureWorld();
    world = await redisWorld(w);
    const { rt } = world;
    const t = (h: number) => Date.now() - h * 3_600_000;
    await rt.ledger.update('pescara', 'twitter', 'd4e5f6', { state: 'unknown', text: 'Cuoco stagionale', sendingSince: t(2), updatedAt: t(2), attempts: 8, lastError: 'cannot check whether the post exists (reconcile: read): 403 client-not-enrolled' }, ['errorClass']);
    await rt.ledger.update('teramo', 'facebook', 't7e8r9', { state: 'sending', sendingSince: t(1), updatedAt: t(1) }, ['remoteId', 'permalink']);
    const file = writeConfig(worldYaml(w, world.prefix));

    const all = await cli(['doubt', '--config', file], {}, SLOW);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain('2 post in dubbio.');
    const pescara = all.stdout.indexOf('pescara/twitter · PE-2026-042 Cuoco stagionale · esito sconosciuto');
    const teramo = all.stdout.indexOf('teramo/facebook · TE-2026-007 Operaio edile a Teramo · invio interrotto');
    expect(pescara).toBeGreaterThan(-1);
    expect(teramo).toBeGreaterThan(pescara);
    expect(all.stdout).toContain('tentativi: 8');
    expect(all.stdout).toContain('403 client-not-enrolled');

    const one = await cli(['doubt', '--config', file, '--publisher', 'teramo', '--json'], {}, SLOW);
    expect(one.code, one.stderr).toBe(0);
    const json = JSON.parse(one.stdout) as { publisher: string; inDoubt: Array<{ publisher: string; offerKey: string; state: string }> };
    expect(json.publisher).toBe('teramo');
    expect(json.inDoubt).toEqual([expect.objectContaining({ publisher: 'teramo', network: 'facebook', offerKey: 't7e8r9', state: 'sending' })]);

    const en = await cli(['doubt', '--config', file, '--lang', 'en', '--publisher', 'pescara'], {}, SLOW);
    expect(en.stdout).toContain('1 post in doubt.');
    expect(en.stdout).toContain('unknown outcome');
    expect((await cli(['--help'], {}, SLOW)).stdout).toContain("banditore doubt --config FILE [--publisher ID] [--json]");
  });
});
