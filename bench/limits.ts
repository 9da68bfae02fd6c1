// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue #3's bench: how much of an account's allowed rate a backlog actually gets, and how often the
 * network has to say no. Emulators that enforce X-like and Facebook-like limits, scaled from 15 minutes
 * (X) and an hour (Facebook) down to seconds, each drain a backlog through the real service (worker
 * roles, real SDKs, real Redis), once with the declared limits right and once with them twice too
 * generous, so that only the networks' answers can hold the service back.
 *
 *   npm run bench -- --only limits
 */
import { startFleet, type Fleet } from '../test/chaos/helpers/fleet.ts';
import { livePosts } from '../test/helpers/stack.ts';

const MAX = 3;
const PER_MS = 3_000;
/** Posts are counted over this measuring period, from each account's first post. */
const MEASURE_MS = 30_000;
/** More offers than the period can take, so the backlog never runs dry while measured. */
const OFFERS = 40;

interface Row { scenario: string; network: string; posts: number; allowed: number; fraction: number; refusals: number }

async function scenario(name: string, declaredMax: number): Promise<Row[]> {
  const declared = `        limits: [{ max: ${declaredMax}, per: ${PER_MS}ms }]`;
  const fleet: Fleet = await startFleet({ publishers: 1, offersEach: OFFERS, twitterExtra: declared, facebookExtra: declared, concurrency: 10 });
  try {
    await fleet.xControl('setLimits', { perUser: [{ max: MAX, windowMs: PER_MS }] });
    await fleet.graphControl('setLimits', { perPage: [{ max: MAX, windowMs: PER_MS }] });
    await fleet.startWorkers();
    await fleet.pollAll();
    const firstOf = async (get: () => Promise<{ createdAt: string }[]>) => {
      for (;;) {
        const p = await get();
        if (p.length) return Math.min(...p.map((x) => Date.parse(x.createdAt)));
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const [x0, g0] = await Promise.all([firstOf(async () => livePosts(await fleet.xPosts())), firstOf(async () => livePosts(await fleet.graphPosts()))]);
    await new Promise((r) => setTimeout(r, Math.max(x0, g0) + MEASURE_MS + 500 - Date.now()));
    const counters = await fleet.rt.counters.read();
    const refusals = (net: string) => counters.limitRefusals.filter((r) => r.network === net).reduce((a, r) => a + r.value, 0);
    // Facebook's created_time has whole seconds: its period is counted in whole seconds too.
    const inPeriod = (times: number[], start: number) => times.filter((t) => t >= start && t < start + MEASURE_MS).length;
    const allowed = MAX * (MEASURE_MS / PER_MS);
    const xs = inPeriod(livePosts(await fleet.xPosts()).map((p) => Date.parse(p.createdAt)), x0);
    const gs = inPeriod(livePosts(await fleet.graphPosts()).map((p) => Date.parse(p.createdAt)), g0);
    return [
      { scenario: name, network: 'X-like', posts: xs, allowed, fraction: xs / allowed, refusals: refusals('twitter') },
      { scenario: name, network: 'Facebook-like', posts: gs, allowed, fraction: gs / allowed, refusals: refusals('facebook') },
    ];
  } finally {
    await fleet.stop();
  }
}

export async function benchLimits(): Promise<string[]> {
  const rows = [...await scenario('declared right', MAX), ...await scenario('declared 2x too generous', MAX * 2)];
  const lines = [
    `limits: one account per network, the network allows ${MAX} posts per ${PER_MS / 1000} s (X: 15 min scaled down; Facebook: 1 h scaled down)`,
    'scenario                   network         posts/allowed in 30 s   fraction   refusals (429 / #80001)',
    ...rows.map((r) => `${r.scenario.padEnd(26)} ${r.network.padEnd(15)} ${`${r.posts}/${r.allowed}`.padStart(10)}              ${(r.fraction * 100).toFixed(0).padStart(4)} %   ${String(r.refusals).padStart(6)}`),
    'method: a backlog of 40 offers is queued at once for one X user and one Facebook Page; the service runs its',
    `  worker role in-process on real Redis and the real SDKs against emulators that enforce fixed ${PER_MS / 1000} s windows;`,
    `  posts are counted from the emulators' own timestamps over ${MEASURE_MS / 1000} s from each account's first post, against`,
    `  the allowed ${MAX} per window; refusals are the rate-limit answers the service counted (each makes it wait as told).`,
    '  X gives x-rate-limit-reset in whole seconds: each answer with remaining 0 makes the account wait for that',
    '  rounded-up reset (plus jitter), which a 3 s window feels and a 15 min one does not. With limits declared too',
    '  generous the service still gets no 429: the remaining-0 answers teach it before X has to refuse.',
    '  Facebook tells its wait in whole minutes (estimated_time_to_regain_access) and the emulator reports 100% usage',
    '  as soon as a window is full: scaled down to seconds, each such report costs a whole minute, so the',
    '  Facebook-like fraction shows how the service obeys that answer, not a ceiling of the limiter.',
  ];
  return lines;
}
