// SPDX-License-Identifier: EUPL-1.2
/**
 * The ceiling for the post step: a bare loop of the real SDK clients (twitter-api-v2, the Facebook
 * business SDK) posting to the emulators, with no queue, no Redis and no bookkeeping, `concurrency`
 * posts in flight per network, both networks at once (as the service posts). Run as its own process
 * (like the service) so both are measured in the same place:
 *   node bin/run-ts.js bench/bare-sdk.ts '{"xUrl":…,"graphUrl":…,"accounts":300,"posts":3000,"concurrency":10}'
 * Prints one JSON line: posts per network, elapsed ms, and process CPU ms (of the timed posts only;
 * `"warmup":true` first posts once per account on each network, untimed).
 */
import { Page } from 'facebook-nodejs-business-sdk';
import { createXClient } from '../src/channels/twitter/sdk.ts';
import { ScopedGraphApi } from '../src/channels/facebook/sdk.ts';
import { pageIdOf } from './fleet.ts';

interface Args { xUrl: string; graphUrl: string; accounts: number; posts: number; concurrency: number; tag: string; warmup?: boolean }
const a = JSON.parse(process.argv[2] ?? '{}') as Args;

const xClients = Array.from({ length: a.accounts }, (_, i) => createXClient({ apiBaseUrl: a.xUrl, appKey: 'bare-app-key', appSecret: 'bare-app-secret', accessToken: `bare-x-token-${a.tag}-${i}`, accessSecret: `bare-x-secret-${i}` }));
const fbApis = Array.from({ length: a.accounts }, (_, i) => new ScopedGraphApi(`bare-fb-token-${a.tag}-${i}`, a.graphUrl));

async function loop(count: number, postOne: (n: number) => Promise<unknown>): Promise<{ posts: number; failed: number }> {
  let next = 0;
  let failed = 0;
  const lane = async () => {
    while (next < count) {
      const n = next++;
      try { await postOne(n); } catch { failed++; }
    }
  };
  await Promise.all(Array.from({ length: a.concurrency }, lane));
  return { posts: count - failed, failed };
}

const text = (n: number) => `Offerta di lavoro ${a.tag} n. ${n}: operatore/operatrice, tempo determinato 12 mesi. Candidature entro il 30/06. https://lavoro.example.it/offerte/${a.tag}-${n}`;
const both = (count: number, from: number) => Promise.all([
  loop(count, (n) => xClients[n % a.accounts]!.v2.post('tweets', { text: text(from + n) }, { fullResponse: true })),
  loop(count, (n) => new Page(pageIdOf(100_000 + (n % a.accounts)), {}, undefined, fbApis[n % a.accounts]).createFeed([], { message: text(from + n), link: `https://lavoro.example.it/offerte/${a.tag}-${from + n}`, published: true })),
]);
// Warm-up (with `warmup`, untimed): one post per account on each network, so that the timed loop finds
// its connections open and its code compiled, as a service that has been running does.
if (a.warmup) await both(a.accounts, 1_000_000);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const [x, fb] = await both(a.posts, 0);
const ms = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(JSON.stringify({ x, fb, ms, cpuMs: (cpu.user + cpu.system) / 1000 }) + '\n');
process.exit(0);
