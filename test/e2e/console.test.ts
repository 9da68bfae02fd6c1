// SPDX-License-Identifier: EUPL-1.2
/**
 * The operators' console through the real binary, on real Redis, with state seeded by the service's own
 * poller and workers against the X and Graph emulators: `offer` (why was this not posted?), `failures`,
 * `retry`, `status --publisher`, in Italian by default and in English with --lang en, times in each
 * publisher's own zone.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { userInfo } from 'node:os';
import { startStack, stackYaml, waitFor, livePosts, SECRETS, type Stack } from '../helpers/stack.ts';
import { cli, cliOnTerminal, startRole, writeConfig } from '../helpers/cli.ts';
import { parseConfig } from '../../src/config/load.ts';
import { readEnvironment } from '../../src/config/env.ts';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { startWorkers, type Stop } from '../../src/app/roles.ts';
import { createLogger } from '../../src/log/logger.ts';

const TERAMO = { TERAMO_X_APP_KEY: 'tappkey-TEST-7777', TERAMO_X_APP_SECRET: 'tappsecret-TEST-8888', TERAMO_X_ACCESS_TOKEN: 'taccess-TEST-9999', TERAMO_X_ACCESS_SECRET: 'taccsecret-TEST-0000' };
const secretValues = [...Object.values(SECRETS), ...Object.values(TERAMO)];
const expectNoSecret = (text: string) => { for (const s of secretValues) expect(text).not.toContain(s); };
const me = `cli:${userInfo().username}`;
/** A command's own time limit: generous, because the machine may be shared (no test asserts on time). */
const SLOW = 240_000;
const X_BAD_REQUEST = { status: 400, body: { errors: [{ parameters: { text: [] }, message: 'The text is not allowed.' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' } };

/** Two offices over one Redis: Pescara (Rome, JSON-LD feed, X and Facebook) and Teramo (New York, RSS, X only). */
interface Console {
  stack: Stack;
  rt: Runtime;
  file: string;
  env: Record<string, string>;
  poll(publisher: 'pescara' | 'teramo'): Promise<unknown>;
  ledger(publisher: string, network: string, code: string): Promise<string | undefined>;
  stop(): Promise<void>;
}

async function startConsole(): Promise<Console> {
  const stack = await startStack({ initialOffers: 2, onFirstPoll: 'skip' });
  const yaml = stackYaml({ prefix: stack.prefix, xUrl: stack.x.url, graphUrl: stack.graph.url, feedUrl: stack.feed.jsonLdUrl, onFirstPoll: 'skip' }) + `
  - id: teramo
    name: Provincia di Teramo
    timezone: America/New_York
    feeds:
      - url: ${stack.feed.rssUrl}
        pollInterval: 1s
        onFirstPoll: skip
    channels:
      twitter:
        apiBaseUrl: ${stack.x.url}
        appKey: \${TERAMO_X_APP_KEY}
        appSecret: \${TERAMO_X_APP_SECRET}
        accessToken: \${TERAMO_X_ACCESS_TOKEN}
        accessSecret: \${TERAMO_X_ACCESS_SECRET}
        backoff: { initial: 200ms, factor: 2, max: 2s }
`;
  const env = { ...stack.env, ...TERAMO };
  const loaded = parseConfig(yaml, { env: readEnvironment(env as NodeJS.ProcessEnv), source: 'console test' });
  const rt = createRuntime(loaded, { logger: createLogger({ level: 'silent', secrets: loaded.secrets }) });
  const stops: Stop[] = [await startWorkers(rt)];
  return {
    stack, rt, env, file: writeConfig(yaml),
    poll: (p) => rt.poller.poll(p, p === 'pescara' ? stack.feed.jsonLdUrl : stack.feed.rssUrl),
    async ledger(publisher, network, code) {
      const key = await keyIn(rt, publisher, code);
      return key ? (await rt.ledger.get(publisher, network as 'twitter', key))?.state : undefined;
    },
    async stop() {
      for (const s of stops) await s().catch(() => undefined);
      await rt.close().catch(() => undefined);
      await stack.stop();
    },
  };
}

async function keyIn(rt: Runtime, publisher: string, code: string): Promise<string | undefined> {
  for (const k of await rt.offers.list(publisher, 0, 100)) if ((await rt.offers.get(publisher, k))?.offer.sourceId === code) return k;
  return undefined;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const stop of cleanups.splice(0).reverse()) await stop(); });

describe('the operators\' console', () => {
  it('offer says why each post was or was not sent; failures, retry and status --publisher act through the operator layer', async () => {
    const s = await startConsole();
    cleanups.push(() => s.stop());
    const { feed, x, graph } = s.stack;
    const pescaraUser = x.userFor(SECRETS.X_ACCESS_TOKEN).id;
    const teramoUser = x.userFor(TERAMO.TERAMO_X_ACCESS_TOKEN).id;
    const onX = (user: string, url: string) => livePosts(x.posts()).filter((p) => p.userId === user && p.text.includes(url));

    // A: in the feed at the first poll of both offices, so skipped.
    await s.poll('pescara');
    await s.poll('teramo');
    const [skipped] = feed.published();
    // B: new, posted on both of Pescara's networks.
    feed.publishNext();
    const posted = feed.published().at(-1)!;
    await s.poll('pescara');
    await waitFor('B on X and Facebook', () => onX(pescaraUser, posted.url).length === 1 && graph.posts().some((p) => p.link === posted.url), 30_000);
    // C: Facebook paused by an operator from the command line, so held there.
    const paused = await cli(['pause', '--config', s.file, 'pescara/facebook'], s.env, SLOW);
    expect(paused.code, paused.stderr).toBe(0);
    expect(paused.stdout).toContain('pescara/facebook in pausa');
    feed.publishNext();
    const held = feed.published().at(-1)!;
    await s.poll('pescara');
    await waitFor('C held on Facebook', async () => (await s.ledger('pescara', 'facebook', held.code)) === 'held', 30_000);
    await waitFor('C on X', () => onX(pescaraUser, held.url).length === 1, 30_000);
    // D: X refuses it for both offices (a permanent error), so it fails.
    x.failNext(2, X_BAD_REQUEST);
    feed.publishNext();
    const failed = feed.published().at(-1)!;
    await s.poll('pescara');
    await s.poll('teramo');
    await waitFor('D failed on X for both', async () => (await s.ledger('pescara', 'twitter', failed.code)) === 'failed' && (await s.ledger('teramo', 'twitter', failed.code)) === 'failed', 30_000);
    const failedKey = await keyIn(s.rt, 'pescara', failed.code);
    const teramoFailedKey = await keyIn(s.rt, 'teramo', failed.code);

    const [offerSkipped, offerPosted, offerHeld, offerFailed, offerByKey, offerTeramo, offerEn, offerJson] = await Promise.all([
      cli(['offer', '--config', s.file, 'pescara', skipped!.code], s.env, SLOW),
      cli(['offer', '--config', s.file, 'pescara', posted.code], s.env, SLOW),
      cli(['offer', '--config', s.file, 'pescara', held.code], s.env, SLOW),
      cli(['offer', '--config', s.file, 'pescara', failed.code], s.env, SLOW),
      cli(['offer', '--config', s.file, 'pescara', failedKey!], s.env, SLOW),
      cli(['offer', '--config', s.file, 'teramo', failed.code], s.env, SLOW),
      cli(['offer', '--config', s.file, 'pescara', held.code, '--lang', 'en'], s.env, SLOW),
      cli(['offer', '--config', s.file, 'pescara', failed.code, '--json'], s.env, SLOW),
    ]);
    for (const r of [offerSkipped, offerPosted, offerHeld, offerFailed, offerByKey, offerTeramo, offerEn, offerJson]) { expect(r.code, r.stderr).toBe(0); expectNoSecret(r.stdout + r.stderr); }

    // Skipped at the first poll: the JSON-LD feed gives the office's code, so that is what matched.
    expect(offerSkipped.stdout).toContain(`trovata per codice dell'offerta: ${skipped!.code}`);
    expect(offerSkipped.stdout).toMatch(/X \(pescara\/twitter\): saltato/);
    expect(offerSkipped.stdout).toContain("perché: l'offerta era già nel feed alla sua prima lettura");
    expect(offerSkipped.stdout).toContain('nessun tentativo di invio');

    // Posted: remote id, permalink, one attempt, the time in Rome.
    const fbPost = graph.posts().find((p) => p.link === posted.url)!;
    expect(offerPosted.stdout).toMatch(/Facebook \(pescara\/facebook\): pubblicato/);
    expect(offerPosted.stdout).toContain(`id sulla rete ${fbPost.id}`);
    expect(offerPosted.stdout).toMatch(/1 tentativo di invio · id sulla rete \S+ · pubblicato il \d{1,2} [a-z]{3} \d{4}, \d\d:\d\d/);
    expect(offerPosted.stdout).toMatch(/link al post: https?:\/\/\S+/);
    expect(offerPosted.stdout).not.toContain('perché:');
    const stored = (await s.rt.offers.get('pescara', (await keyIn(s.rt, 'pescara', posted.code))!))!;
    const rome = new Intl.DateTimeFormat('it-IT', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Rome' }).format(stored.firstSeenAt);
    expect(offerPosted.stdout).toMatch(new RegExp(`vista la prima volta:\\s+${rome}`));
    expect(offerPosted.stdout).toContain(`luogo:`);
    expect(offerPosted.stdout).toContain(posted.url);

    // Held by the pause, with who paused it and how to release it.
    expect(offerHeld.stdout).toMatch(/Facebook \(pescara\/facebook\): trattenuto/);
    expect(offerHeld.stdout).toContain(`perché: trattenuto: il canale è in pausa (sospeso da ${me}); per rilasciarlo: banditore resume --config FILE pescara/facebook`);
    expect(offerHeld.stdout).toMatch(/X \(pescara\/twitter\): pubblicato/);
    expect(offerEn.stdout).toContain(`matched by the office's offer code: ${held.code}`);
    expect(offerEn.stdout).toContain(`why: held: the channel is paused (paused by ${me})`);
    expect(offerEn.stdout).toMatch(/first seen:\s+\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d/);

    // Failed: the network's words, the class, the job to retry.
    expect(offerFailed.stdout).toMatch(/X \(pescara\/twitter\): fallito/);
    expect(offerFailed.stdout).toMatch(/ultimo errore: Errore permanente, "X 400: [^"]+", il \d{1,2} [a-z]{3} \d{4}, \d\d:\d\d/);
    expect(offerFailed.stdout).toContain(`perché: non riuscito; per riprovare: banditore retry --config FILE post.pescara.twitter.${failedKey}`);
    expect(offerFailed.stdout).toContain(`lavoro: post.pescara.twitter.${failedKey} (fallito)`);
    expect(offerByKey.stdout).toContain(`trovata per chiave dell'offerta: ${failedKey}`);
    // Teramo's RSS carries the code only as the item's guid: that is its source id.
    expect(offerTeramo.stdout).toContain(`trovata per id nella fonte: ${failed.code}`);
    const json = JSON.parse(offerJson.stdout);
    expect(json.matchedBy).toBe('code');
    const xJson = json.offer.channels.find((ch: { network: string }) => ch.network === 'twitter');
    expect(xJson).toMatchObject({ state: 'failed', attempts: 1, lastError: { errorClass: 'permanent' }, why: { kind: 'failed', jobId: `post.pescara.twitter.${failedKey}` }, job: { state: 'failed' } });
    const missing = await cli(['offer', '--config', s.file, 'pescara', 'PE-0000-NOPE'], s.env, SLOW);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nessuna offerta di pescara con codice, chiave o id "PE-0000-NOPE"');

    // Failures, all and of one office.
    const [all, teramoOnly, teramoJson] = await Promise.all([
      cli(['failures', '--config', s.file], s.env, SLOW),
      cli(['failures', '--config', s.file, '--publisher', 'teramo'], s.env, SLOW),
      cli(['failures', '--config', s.file, '--publisher', 'teramo', '--json'], s.env, SLOW),
    ]);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain('2 pubblicazioni fallite');
    expect(all.stdout).toContain('Errore permanente (permanent): 2 post');
    expect(all.stdout).toContain(`lavoro post.pescara.twitter.${failedKey}`);
    expect(all.stdout).toContain(`lavoro post.teramo.twitter.${teramoFailedKey}`);
    expect(teramoOnly.stdout).toContain('1 pubblicazione fallita');
    expect(teramoOnly.stdout).toContain(`teramo/twitter · ${failed.title}`);
    expect(teramoOnly.stdout).not.toContain('pescara');
    const tj = JSON.parse(teramoJson.stdout);
    expect(tj.failures.permanent).toHaveLength(1);
    expect(tj.failures.permanent[0]).toMatchObject({ jobId: `post.teramo.twitter.${teramoFailedKey}`, publisher: 'teramo', network: 'twitter' });

    // Retry a whole class within Teramo: Teramo's post goes out, Pescara's stays failed.
    const byClass = await cli(['retry', '--config', s.file, '--failed', 'permanent', '--publisher', 'teramo'], s.env, SLOW);
    expect(byClass.code, byClass.stderr).toBe(0);
    expect(byClass.stdout).toContain('1 lavoro rimesso in coda');
    await waitFor('Teramo\'s D on X', () => onX(teramoUser, failed.url).length === 1, 30_000);
    expect(await s.ledger('teramo', 'twitter', failed.code)).toBe('posted');
    expect(await s.ledger('pescara', 'twitter', failed.code)).toBe('failed');
    expect(onX(pescaraUser, failed.url)).toHaveLength(0);

    // Retry one job by id: it runs again and is posted, once.
    const one = await cli(['retry', '--config', s.file, `post.pescara.twitter.${failedKey}`], s.env, SLOW);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toContain('1 lavoro rimesso in coda');
    await waitFor('Pescara\'s D on X', () => onX(pescaraUser, failed.url).length === 1, 30_000);
    expect(await s.ledger('pescara', 'twitter', failed.code)).toBe('posted');
    const none = await cli(['retry', '--config', s.file, `post.pescara.twitter.${failedKey}`, 'post.pescara.twitter.nosuchjob'], s.env, SLOW);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('nessun lavoro da riprovare con id post.pescara.twitter.nosuchjob');
    const audit = await s.rt.audit.latest(20);
    expect(audit).toEqual(expect.arrayContaining([
      expect.objectContaining({ who: me, action: 'retry-group', target: 'teramo/permanent', result: 'ok' }),
      expect.objectContaining({ who: me, action: 'retry', target: `post.pescara.twitter.${failedKey}`, result: 'ok' }),
      expect.objectContaining({ who: me, action: 'pause', target: 'pescara/facebook' }),
    ]));
    const noFailures = await cli(['failures', '--config', s.file], s.env, SLOW);
    expect(noFailures.stdout).toContain('Nessuna pubblicazione fallita.');

    // status --publisher: one office's channels and feeds, its times in its own zone.
    const [teramoStatus, teramoStatusJson, allStatus] = await Promise.all([
      cli(['status', '--config', s.file, '--publisher', 'teramo'], s.env, SLOW),
      cli(['status', '--config', s.file, '--publisher', 'teramo', '--json'], s.env, SLOW),
      cli(['status', '--config', s.file], s.env, SLOW),
    ]);
    expect(teramoStatus.code, teramoStatus.stderr).toBe(0);
    expect(teramoStatus.stdout).toMatch(/^Stato di Banditore al \d{1,2} [a-z]{3} \d{4}, \d\d:\d\d \(America\/New_York\)/);
    expect(teramoStatus.stdout).toContain('teramo/twitter: attivo');
    expect(teramoStatus.stdout).toContain(`teramo ${feed.rssUrl}`);
    expect(teramoStatus.stdout).not.toContain('pescara');
    const tjs = JSON.parse(teramoStatusJson.stdout);
    expect(tjs.channels.map((ch: { publisher: string; network: string }) => `${ch.publisher}/${ch.network}`)).toEqual(['teramo/twitter']);
    expect(tjs.feeds.map((f: { publisher: string }) => f.publisher)).toEqual(['teramo']);
    // Teramo's last error happened at a known instant: it is shown on New York's clock, not Rome's.
    const lastError = tjs.channels[0].lastError.at as number;
    const ny = new Intl.DateTimeFormat('it-IT', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'America/New_York' }).format(lastError);
    expect(teramoStatus.stdout).toContain(`ultimo errore (Errore permanente) il ${ny}: X 400`);
    expect(allStatus.stdout).toContain('pescara/facebook: IN PAUSA');
    expect(allStatus.stdout).toContain('teramo/twitter: attivo');
    expect(allStatus.stdout).toMatch(/pescara\/facebook: IN PAUSA[^\n]*\n\s+lavori: [^\n]*trattenuti 2; pubblicati 1/);
    const unknownPub = await cli(['status', '--config', s.file, '--publisher', 'chieti'], s.env, SLOW);
    expect(unknownPub.code).toBe(2);
    expect(unknownPub.stderr).toContain('l\'ente "chieti" non è nella configurazione (enti: pescara, teramo)');
    expectNoSecret(teramoStatus.stdout + allStatus.stdout + all.stdout);
  }, 300_000);
});

describe('banditore cancel', () => {
  it('"non pubblicare più": asks first, then the pending posts are never sent and the posted ones are named', async () => {
    const stack = await startStack({ initialOffers: 1, onFirstPoll: 'skip' });
    cleanups.push(() => stack.stop());
    const { feed, x, graph, rt } = stack;
    const file = writeConfig(stack.yaml);
    await stack.pollOnce();
    // F: posted on both networks before anyone cancels it.
    feed.publishNext();
    const out = feed.published().at(-1)!;
    const stopWorkers = await stack.startWorkers();
    await stack.pollOnce();
    await waitFor('F on X and Facebook', () => livePosts(x.posts()).some((p) => p.text.includes(out.url)) && graph.posts().some((p) => p.link === out.url), 30_000);
    await stopWorkers();
    // E: queued on both networks while no worker runs.
    feed.publishNext();
    const pending = feed.published().at(-1)!;
    await stack.pollOnce();
    const key = (await keyIn(rt, 'pescara', pending.code))!;
    expect((await rt.ledger.get('pescara', 'twitter', key))?.state).toBe('queued');

    const refused = await cli(['cancel', '--config', file, 'pescara', pending.code], stack.env, SLOW);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('nessun terminale per chiedere conferma: aggiungere --yes');
    expect((await rt.ledger.get('pescara', 'twitter', key))?.state).toBe('queued');

    // On a terminal it asks; "n" changes nothing.
    const kept = await cliOnTerminal(['cancel', '--config', file, 'pescara', pending.code], stack.env, '[s/N]', 'n');
    expect(kept.asked).toBe(true);
    expect(kept.output).toContain(`Non pubblicare più ${pending.code} «${pending.title}»? I post già pubblicati restano. [s/N]`);
    expect(kept.output).toContain('Nulla è cambiato.');
    expect(kept.code).toBe(1);
    expect((await rt.ledger.get('pescara', 'twitter', key))?.state).toBe('queued');

    const [cancelled, staying] = await Promise.all([
      cli(['cancel', '--config', file, 'pescara', pending.code, '--yes'], stack.env, SLOW),
      cliOnTerminal(['cancel', '--config', file, 'pescara', out.code], stack.env, '[s/N]', 'sì').then((r) => ({ ...r, stdout: r.output, stderr: r.output })),
    ]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toContain(`${pending.code} «${pending.title}» non sarà più pubblicata.`);
    expect(cancelled.stdout).toContain("Post annullati prima dell'invio: X, Facebook.");
    expect(cancelled.stdout).not.toContain('Resta pubblicato');
    expect(staying.code, staying.stderr).toBe(0);
    expect(staying.stdout).toContain('Nessun post era in attesa di invio.');
    const fbPermalink = (await rt.ledger.get('pescara', 'facebook', (await keyIn(rt, 'pescara', out.code))!))!.permalink!;
    expect(staying.stdout).toContain(`Resta pubblicato su Facebook: ${fbPermalink}`);
    expect(staying.stdout).toMatch(/Resta pubblicato su X: https?:\/\/\S+/);
    expect(staying.stdout).toContain('per toglierli, aprire il link ed eliminarli dalla rete');
    expect(await rt.audit.latest(5)).toEqual(expect.arrayContaining([expect.objectContaining({ who: me, action: 'cancel', target: `pescara/${key}`, result: 'ok' })]));

    // A worker process takes E's jobs and finds nothing to send: positive evidence, then no post.
    const worker = startRole(['worker', '--config', file], stack.env);
    try {
      for (const net of ['twitter', 'facebook'] as const) {
        await waitFor(`E's ${net} job processed`, async () => {
          const job = await rt.queues.queueOf(net).getJob(`post.pescara.${net}.${key}`);
          return job && (await job.getState()) === 'completed' && job.returnvalue === 'already cancelled';
        }, 60_000, 200);
      }
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited).toBe(0);
    expect(x.posts().filter((p) => p.text.includes(pending.url))).toHaveLength(0);
    expect(graph.posts().filter((p) => p.link === pending.url)).toHaveLength(0);
    expect(livePosts(x.posts()).filter((p) => p.text.includes(out.url))).toHaveLength(1);
  }, 300_000);
});

describe('roles that call no network', () => {
  it('start without the channels\' tokens; the roles that post still refuse, naming the key', async () => {
    const stack = await startStack({ initialOffers: 1, onFirstPoll: 'post' });
    cleanups.push(() => stack.stop());
    const file = writeConfig(stack.yaml);
    await stack.startWorkers();
    await stack.pollOnce();
    await waitFor('the offer on X', () => livePosts(stack.x.posts()).length === 1, 30_000);
    // Only what the dashboard itself needs: Redis and its password.
    const bare = { DASHBOARD_PASSWORD: SECRETS.DASHBOARD_PASSWORD, REDIS_URL: stack.env.REDIS_URL! };

    const [withTokens, without, worker, check, preview, poller, paused] = await Promise.all([
      cli(['status', '--config', file, '--json'], stack.env, SLOW),
      cli(['status', '--config', file, '--json'], bare, SLOW),
      cli(['worker', '--config', file], bare, SLOW),
      cli(['check', '--config', file], bare, SLOW),
      cli(['preview', '--config', file], bare, SLOW),
      cli(['poller', '--config', file, '--lang', 'en'], bare, SLOW),
      cli(['pause', '--config', file, 'pescara/twitter'], bare, SLOW),
    ]);
    expect(without.code, without.stderr).toBe(0);
    const limits = (r: { stdout: string }) => JSON.parse(r.stdout).channels.map((ch: { network: string; limits: Array<{ max: number; perMs: number; used: number }> }) => [ch.network, ch.limits.map((l) => [l.max, l.perMs, l.used])]);
    // The X account's windows are keyed by a hash of its token: read through the keys the worker recorded.
    expect(limits(without)).toEqual(limits(withTokens));
    expect(JSON.parse(without.stdout).channels.find((ch: { network: string }) => ch.network === 'twitter').limits[0].used).toBe(1);
    for (const r of [worker, check, preview]) {
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("publishers[0].channels.twitter.appKey: variabile d'ambiente X_APP_KEY non impostata");
    }
    expect(poller.code).toBe(2);
    expect(poller.stderr).toContain('publishers[0].channels.twitter.appKey: environment variable X_APP_KEY is not set');
    expect(paused.code, paused.stderr).toBe(0);
    expect((await stack.rt.channels.get('pescara', 'twitter')).paused).toBe(true);

    const dashboard = startRole(['dashboard', '--config', file], bare);
    try {
      const url = await waitFor('the dashboard listening', () => {
        for (const line of dashboard.output().split('\n')) {
          try { const j = JSON.parse(line) as { msg?: string; url?: string }; if (j.msg === 'dashboard listening') return j.url; } catch { /* not JSON */ }
        }
        return undefined;
      }, 120_000, 200);
      const auth = { authorization: `Basic ${Buffer.from(`operator:${SECRETS.DASHBOARD_PASSWORD}`).toString('base64')}` };
      const res = await fetch(`${url!.replace('localhost', '127.0.0.1')}/api/status`, { headers: auth });
      expect(res.status).toBe(200);
      const status = await res.json() as { channels: Array<{ publisher: string; network: string; state: string; limits: Array<{ used: number }> }> };
      const xStatus = status.channels.find((ch) => ch.network === 'twitter')!;
      expect(xStatus).toMatchObject({ publisher: 'pescara', state: 'paused' });
      expect(xStatus.limits[0]!.used).toBe(1);
    } finally {
      dashboard.child.kill('SIGTERM');
    }
    expect(await dashboard.exited).toBe(0);
    expectNoSecret(dashboard.output() + without.stdout + worker.stderr);
    expect(dashboard.output()).not.toContain('credentials-not-loaded');
  }, 300_000);
});
