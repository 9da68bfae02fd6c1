// SPDX-License-Identifier: EUPL-1.2
/**
 * `npm start`: the whole service on one machine with nothing from outside. It starts the local X,
 * Graph API and Telegram Bot API emulators, a local SMTP server for the newsletter, a Web Push service,
 * the sample Pescara feed (a new offer about every minute) and a portal page in the regional template,
 * drops a SIL file in the demo's inbox, makes sure a Redis
 * answers (starting a private redis-server when none does), and runs `banditore run` with
 * config/demo.yaml. The dashboard is at http://127.0.0.1:3000 (demo / demo).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { loadConfig } from '../config/load.ts';
import { readEnvironment } from '../config/env.ts';
import { createRuntime } from '../app/runtime.ts';
import { startRole } from '../app/roles.ts';
import { startXEmulator } from '../channels/twitter/emulator.ts';
import { startGraphEmulator } from '../channels/facebook/emulator.ts';
import { startTelegramEmulator } from '../channels/telegram/emulator.ts';
import { startPushEmulator } from '../channels/push/emulator.ts';
import { PushStore } from '../channels/push/store.ts';
import { Subscribers } from '../channels/newsletter/subscribers.ts';
import { startMailboxPage, startSmtpEmulator } from '../channels/newsletter/emulator.ts';
import { startFeedServer } from './feed-server.ts';
import { startPortalServer, DEMO_PORTAL_OFFERS } from './portal-server.ts';
import { sampleVacancy } from './sample-vacancy.ts';

const CONFIG = fileURLToPath(new URL('../../config/demo.yaml', import.meta.url));
const STATE_DIR = fileURLToPath(new URL('../../.banditore/', import.meta.url));
const PRIVATE_REDIS_PORT = 6390;
const DEMO_ENV: Record<string, string> = {
  DEMO_DASHBOARD_PASSWORD: 'demo',
  DEMO_X_APP_KEY: 'demo-app-key', DEMO_X_APP_SECRET: 'demo-app-secret',
  DEMO_X_ACCESS_TOKEN: 'demo-access-token', DEMO_X_ACCESS_SECRET: 'demo-access-secret',
  DEMO_FB_PAGE_TOKEN: 'demo-page-token',
  DEMO_TG_BOT_TOKEN: '1000000001:demo-telegram-bot-token',
  DEMO_API_TOKEN: 'demo-api-token-0123456789',
};
/** The demo's fixed VAPID public key (config/demo.yaml): the emulated browsers subscribe for it. */
const DEMO_VAPID_PUBLIC = 'BJLm8TXLxTTftTqTcm5eQWQagLp-7-h2Jkouib9QoFRPzSzm0RIZ6hVk_0cyVsF7BaNQaM4e3BgzEKTRcfhvUFw';
const INBOX = `${STATE_DIR}inbox/pescara`;

async function answers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1, connectTimeout: 1500 });
  r.on('error', () => undefined);
  try { await r.connect(); return (await r.ping()) === 'PONG'; } catch { return false; } finally { r.disconnect(); }
}

async function ensureRedis(url: string): Promise<{ url: string; child?: ChildProcess }> {
  if (await answers(url)) return { url };
  const installed = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!installed) {
    console.error(`No Redis answers at ${url} and redis-server is not installed: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a running Redis.`);
    process.exit(1);
  }
  const dir = `${STATE_DIR}redis`;
  mkdirSync(dir, { recursive: true });
  // Private, on loopback, with AOF: the demo keeps its state across restarts like a real deployment.
  const child = spawn('redis-server', ['--port', String(PRIVATE_REDIS_PORT), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--maxmemory-policy', 'noeviction', '--save', ''], { stdio: 'ignore' });
  const privateUrl = `redis://127.0.0.1:${PRIVATE_REDIS_PORT}`;
  for (let i = 0; i < 50 && !(await answers(privateUrl)); i++) await new Promise((r) => setTimeout(r, 100));
  console.log(`No Redis answered at ${url}: started a private redis-server at ${privateUrl} (data in .banditore/redis).`);
  return { url: privateUrl, child };
}

const env = readEnvironment();
const redis = await ensureRedis(env.redisUrl ?? 'redis://127.0.0.1:6379');
const x = await startXEmulator({ port: 4010 });
const graph = await startGraphEmulator({ port: 4020, pages: [{ id: '100000000000001', name: 'Provincia di Pescara – Servizi per il lavoro', token: DEMO_ENV.DEMO_FB_PAGE_TOKEN }] });
const feed = await startFeedServer({ port: 4030, initial: 8, newEveryMs: 60_000 });
const portal = await startPortalServer({ port: 4035, offers: DEMO_PORTAL_OFFERS });
const tg = await startTelegramEmulator({ port: 4040, bots: [{ token: DEMO_ENV.DEMO_TG_BOT_TOKEN!, username: 'cpi_pescara_bot', name: 'CPI Pescara' }], channels: [{ username: 'lavoropescara', title: 'Lavoro Pescara' }] });
// The app's push service (HTTPS, self-signed: the sender trusts its certificate through caFile).
const pushService = await startPushEmulator({ port: 4045 });
// The newsletter's mail server: each message it takes is printed with its links (confirm, unsubscribe).
const smtp = await startSmtpEmulator({
  port: 4025,
  onMessage: (m) => console.log(`  ✉ to ${m.to.join(', ')}: ${m.subject}\n${(m.text.match(/https?:\/\/\S+\/iscriviti\/\S+/g) ?? []).map((l) => `      ${l}`).join('\n')}`),
});
const mailbox = await startMailboxPage(smtp, { port: 4026 });

// The demo's inbox, with one SIL export in it: its text names a person, a mobile and a private e-mail,
// which the posts must not repeat. Dropped again at every start: the same offer is then "known".
mkdirSync(INBOX, { recursive: true });
writeFileSync(`${INBOX}/.vacancy.xml.tmp`, sampleVacancy());
renameSync(`${INBOX}/.vacancy.xml.tmp`, `${INBOX}/vacancy-${new Date().toISOString().slice(0, 10)}.xml`);

const loaded = loadConfig(CONFIG, readEnvironment({ ...DEMO_ENV, DEMO_PUSH_CA: pushService.caFile, REDIS_URL: redis.url, LOG_FORMAT: env.prettyLogs ? 'pretty' : 'json' } as NodeJS.ProcessEnv));
const rt = createRuntime(loaded);
// Two followers of the app, subscribed as browsers would (a real browser needs its own push service,
// out of reach here), before the first poll so that they hear of the first offers.
for (const prefs of [{ places: ['Pescara'], contracts: [], words: [] }, { places: [], contracts: [], words: [] }]) {
  const sub = pushService.subscribe({ applicationServerKey: DEMO_VAPID_PUBLIC });
  await new PushStore(rt.services.redis, rt.keys).save('pescara', { endpoint: sub.endpoint, keys: sub.keys, prefs, createdAt: Date.now() });
}
// One newsletter subscriber, confirmed as an import would be (consent stated), so that digests arrive in
// the sandbox's mailbox without a trip through the form; subscribe on /iscriviti/pescara to see the rest.
await new Subscribers({ redis: rt.services.redis, keys: rt.keys, now: Date.now }).importConfirmed('pescara', 'follower@sandbox.example', { places: [], contracts: [], words: [] }, { at: Date.now(), method: 'sandbox demo' }, 0);
const stop = await startRole(rt, 'run');
const dashboardUrl = `http://127.0.0.1:${loaded.config.dashboard.port}`;

console.log(`
  Banditore sandbox is running.
  Dashboard:   http://127.0.0.1:${loaded.config.dashboard.port}   (username demo, password demo)
  Sample feed: ${feed.rssUrl}  and  ${feed.jsonLdUrl}  (a new offer about every minute)
  Portal page: ${portal.listingUrl}  (the regional "Lavoro per Te" template, no feed)
  Inbox:       ${INBOX}  (drop ClicLavoro / HR-Open XML files here)
  Offers API:  POST http://127.0.0.1:${loaded.config.dashboard.port}/api/v1/publishers/pescara/offers  (Bearer ${DEMO_ENV.DEMO_API_TOKEN})
  X emulator:  ${x.url}      Graph API emulator: ${graph.url}
  Telegram Bot API emulator: ${tg.url}   (channel @lavoropescara; its messages: ${tg.url}/__control/messages)
  The app:     ${dashboardUrl}/app/pescara/   (offers, search, notifications)
  Push service emulator: ${pushService.url}/messages   (the notifications it received, decrypted; self-signed certificate)
  Newsletter:  http://127.0.0.1:${loaded.config.dashboard.port}/iscriviti/pescara   (mails go to the local SMTP server ${smtp.url}; read them at ${mailbox.url})
  Press Ctrl+C to stop.
`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await stop().catch(() => undefined);
  await Promise.all([x.close(), graph.close(), feed.close(), portal.close(), tg.close(), pushService.close(), smtp.close(), mailbox.close()]).catch(() => undefined);
  redis.child?.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
