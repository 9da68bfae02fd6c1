// SPDX-License-Identifier: EUPL-1.2
/**
 * `npm run bench`: issue #7's targets on this machine, measured end to end on real parts (a private
 * redis-server, the real `banditore` binary as a separate process, the real SDKs, the emulators and a
 * farm of feed servers), printed as a table with the method behind each number.
 *
 *   npm run bench                         # everything (about 5 minutes)
 *   npm run bench -- --only idle,burst    # some sections: idle, burst, scheduled, slowhost, offers, held, limits
 *   npm run bench -- --only held --held-publishers 250 --held-offers 8 --held-rounds 5   # 4,000 held posts drained after a resume, 5 times
 *   npm run bench -- --only burst --profile /tmp/prof   # V8 CPU profiles of the service processes
 *   npm run bench -- --idle-seconds 30 --publishers 1000 --burst-publishers 300 --burst-offers 10 --concurrency 20
 *   npm run bench -- --only burst --appendfsync everysec   # what Redis' fsync on every write costs
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { startXEmulator } from '../src/channels/twitter/emulator.ts';
import { startGraphEmulator } from '../src/channels/facebook/emulator.ts';
import { startPrivateRedis } from './private-redis.ts';
import { benchIdle, type IdleResult } from './idle.ts';
import { benchBurst, type BurstResult } from './burst.ts';
import { benchScheduledBurst, type ScheduledBurstResult } from './scheduled-burst.ts';
import { benchSlowHost, type SlowHostResult } from './slow-host.ts';
import { benchOfferMemory, type OfferMemoryResult } from './offer-memory.ts';
import { benchHeldDrain, type HeldDrainResult } from './held-drain.ts';
import { printReport } from './report.ts';
import { profileServicesInto } from './service.ts';

const { values } = parseArgs({
  options: {
    only: { type: 'string', default: 'idle,burst,scheduled,slowhost,offers,held,limits' },
    'held-publishers': { type: 'string', default: '250' },
    'held-offers': { type: 'string', default: '8' },
    'held-rounds': { type: 'string', default: '5' },
    'scheduled-interval': { type: 'string', default: '30' },
    'idle-seconds': { type: 'string', default: '60' },
    'settle-seconds': { type: 'string', default: '15' },
    publishers: { type: 'string', default: '1000' },
    hosts: { type: 'string', default: '20' },
    'burst-publishers': { type: 'string', default: '300' },
    'burst-offers': { type: 'string', default: '10' },
    // Unset: the service's default lanes (one per account, at most 40: src/app/lanes.ts).
    concurrency: { type: 'string', default: '' },
    profile: { type: 'string' },
    // Redis' AOF fsync: `always` as docker-compose.yml ships it (the tested durability), or `everysec`.
    appendfsync: { type: 'string', default: 'always' },
  },
});
if (values.appendfsync !== 'always' && values.appendfsync !== 'everysec') throw new Error('--appendfsync must be always or everysec');
const only = new Set(values.only!.split(','));
const log = (s: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

profileServicesInto(values.profile);
const redis = await startPrivateRedis({ appendfsync: values.appendfsync as 'always' | 'everysec' });
// Emulators with no limits: the service's own accounting is what is measured. They accept duplicate
// text, so "0 duplicates" below is the ledger's doing, not the networks' refusal; X on a tier that can
// read its timeline, so a post in doubt is looked up (a resend relies on X refusing duplicates).
const x = await startXEmulator({ limits: { perUser: [{ max: 10_000_000, windowMs: 15 * 60_000 }], perApp: [] }, acceptDuplicates: true, tier: 'basic' });
const graph = await startGraphEmulator({ acceptDuplicates: true });
let idle: IdleResult | undefined;
let burst: BurstResult | undefined;
let scheduled: ScheduledBurstResult | undefined;
let slow: SlowHostResult | undefined;
let offers: OfferMemoryResult | undefined;
let held: HeldDrainResult | undefined;
let limits: string[] | undefined;
let exitCode = 0;
try {
  if (only.has('idle')) {
    idle = await benchIdle({ redis, xUrl: x.url, graphUrl: graph.url, publishers: Number(values.publishers), hosts: Number(values.hosts), windowS: Number(values['idle-seconds']), settleS: Number(values['settle-seconds']), log });
  }
  if (only.has('burst')) {
    burst = await benchBurst({ redis, x, graph, publishers: Number(values['burst-publishers']), offersEach: Number(values['burst-offers']), concurrency: values.concurrency ? Number(values.concurrency) : undefined, hosts: Number(values.hosts), log });
  }
  if (only.has('scheduled')) {
    scheduled = await benchScheduledBurst({ redis, x, graph, publishers: Number(values['burst-publishers']), offersEach: Number(values['burst-offers']), intervalS: Number(values['scheduled-interval']), concurrency: values.concurrency ? Number(values.concurrency) : undefined, hosts: Number(values.hosts), log });
  }
  if (only.has('slowhost')) {
    slow = await benchSlowHost({ redis, xUrl: x.url, graphUrl: graph.url, log });
  }
  if (only.has('offers')) {
    offers = await benchOfferMemory({ redis, xUrl: x.url, graphUrl: graph.url, log });
  }
  if (only.has('held')) {
    held = await benchHeldDrain({ redis, x, graph, publishers: Number(values['held-publishers']), offersEach: Number(values['held-offers']), rounds: Math.max(1, Number(values['held-rounds'])), concurrency: values.concurrency ? Number(values.concurrency) : undefined, hosts: Number(values.hosts), log });
  }
  if (only.has('limits')) {
    // bench/limits.ts is written by another engineer; without it this section is simply absent.
    const file = new URL('./limits.ts', import.meta.url);
    if (existsSync(file)) {
      try {
        const mod = (await import(file.href)) as { benchLimits?: () => Promise<string[]> };
        limits = mod.benchLimits ? await mod.benchLimits() : ['bench/limits.ts exports no benchLimits()'];
      } catch (e) {
        limits = [`bench/limits.ts failed: ${(e as Error).message}`];
      }
    } else {
      limits = ['bench/limits.ts is not there yet: per-account limit section skipped'];
    }
  }
  exitCode = printReport({ idle, burst, scheduled, slow, offers, held, limits }) ? 0 : 1;
} catch (e) {
  log(`bench failed: ${(e as Error).stack ?? e}`);
  exitCode = 2;
} finally {
  await Promise.all([x.close(), graph.close()]);
  await redis.stop();
}
process.exit(exitCode);
