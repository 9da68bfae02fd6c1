// SPDX-License-Identifier: EUPL-1.2
/**
 * A fleet and the `banditore` processes one test starts, all stopped after it (processes SIGKILLed,
 * then the fleet), so a failing test never leaves workers posting into the next one.
 */
import { afterEach } from 'vitest';
import { startFleet, type Fleet, type FleetOptions } from './fleet.ts';
import { spawnBanditore, type Proc } from './processes.ts';

export function fleetPerTest() {
  let fleet: Fleet | undefined;
  let procs: Proc[] = [];
  afterEach(async () => {
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    procs = [];
    await fleet?.stop();
    fleet = undefined;
  });
  return {
    async start(opts: FleetOptions): Promise<Fleet> {
      fleet = await startFleet(opts);
      return fleet;
    },
    /** A `banditore` child process, killed after the test. */
    spawn(args: string[], env: Record<string, string>): Proc {
      const p = spawnBanditore(args, env);
      procs.push(p);
      return p;
    },
  };
}
