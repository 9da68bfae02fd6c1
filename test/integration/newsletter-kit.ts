// SPDX-License-Identifier: EUPL-1.2
/**
 * A newsletter deployment for tests on real parts: real Redis (unique prefix), the office's feed, the
 * delivery workers, the real dashboard (its public pages) and the SMTP emulator, with a clock that the
 * digest passes move a minute at a time (instant digests are named by the minute).
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { createRuntime, type Runtime } from '../../src/app/runtime.ts';
import { startWorkers, startDashboard, type Stop } from '../../src/app/roles.ts';
import { createLogger } from '../../src/log/logger.ts';
import { definitionOf } from '../../src/channels/registry.ts';
import { startSmtpEmulator, type SmtpEmulator } from '../../src/channels/newsletter/emulator.ts';
import { Outbox } from '../../src/channels/newsletter/outbox.ts';
import { stackYaml, waitFor } from '../helpers/stack.ts';
import { connectTestRedis, cleanPrefix, uniquePrefix } from '../helpers/redis.ts';
import { startOffice, lifeConfig, RunningClock, type Office } from './life-kit.ts';

export const PUBLIC = 'https://lavoro.example.it';
export const CONTACT_MAIL = 'mario.rossi@example.com';
export const CONTACT_PHONE = '333 1234567';

export interface World {
  rt: Runtime;
  office: Office;
  smtp: SmtpEmulator;
  clock: RunningClock;
  app: FastifyInstance;
  /** Where the dashboard listens (a real port, for a browser). */
  url: string;
  logs: string[];
  /** One pass of the digest duty, as a worker runs it; the clock moves a minute first (instant slots are minutes). */
  digestPass(): Promise<Record<string, unknown>>;
  /** Polls the feed and waits until the newsletter's outbox holds `n` offers in all. */
  pollUntilRecorded(n: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorld(channelExtra = '', feedExtra = ''): Promise<World> {
  const check = await connectTestRedis();
  const prefix = uniquePrefix('newsletter');
  const office = await startOffice([]);
  const smtp = await startSmtpEmulator({ auth: { user: 'banditore', pass: 'smtp-TEST-secret-7777' } });
  const yaml = stackYaml({
    prefix, xUrl: 'http://127.0.0.1:9', graphUrl: 'http://127.0.0.1:9', feedUrl: office.url, networks: [], onFirstPoll: 'post', feedExtra,
    channelsExtra: `      newsletter:
        from: "Offerte di lavoro <offerte@lavoro.example.it>"
        smtp: { url: "${smtp.url}" }
        schedule: instant
        privacyUrl: ${PUBLIC}/privacy
        privacyVersion: "2026-01"
        backoff: { initial: 1s, factor: 2, max: 5s }
${channelExtra}`,
  }).replace('  password: ${DASHBOARD_PASSWORD}', `  password: \${DASHBOARD_PASSWORD}\n  publicUrl: ${PUBLIC}`);
  const loaded = lifeConfig(yaml);
  const logs: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logs.push(String(chunk)); cb(); } });
  const clock = new RunningClock();
  const rt = createRuntime(loaded, { logger: createLogger({ level: 'debug', secrets: loaded.secrets, destination: sink }), now: clock.now });
  const stops: Stop[] = [await startWorkers(rt)];
  const dash = await startDashboard(rt);
  stops.push(dash.stop);
  const duty = definitionOf('newsletter').duties!(rt.services)[0]!;
  const outbox = new Outbox(rt.services);
  return {
    rt, office, smtp, clock, app: dash.app, url: dash.url, logs,
    async digestPass() {
      clock.offset += 61_000;
      return duty.run({ now: clock.now, logger: rt.logger, signal: new AbortController().signal });
    },
    async pollUntilRecorded(n) {
      await rt.poller.poll('pescara', office.url);
      await waitFor(`${n} offers in the newsletter outbox`, async () => (await outbox.seq('pescara')) >= n);
    },
    async stop() {
      for (const s of stops.reverse()) await s().catch(() => undefined);
      await rt.close().catch(() => undefined);
      await Promise.all([office.close(), smtp.close()]);
      await cleanPrefix(check, prefix);
      await check.quit();
    },
  };
}

