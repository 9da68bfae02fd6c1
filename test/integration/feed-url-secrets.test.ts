// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 13, "secrets never leave": a feed URL with a key (a query parameter such as `apikey=`, written
 * in the config as it is or as `${NAME}`, or a userinfo password) never shows the key in a log line,
 * in `banditore status`, on the dashboard's feed page, in job data or in the errors an operator reads,
 * whether its polls succeed or fail.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { RedisOperatorService } from '../../src/state/operator-service.ts';
import { renderStatus } from '../../src/cli/commands/status.ts';
import { startDashboard } from '../../src/app/roles.ts';
import { waitFor } from '../helpers/stack.ts';
import { startPageLife, offer, type PageLife } from './feed-page-kit.ts';
import { createI18n } from '../../src/i18n/index.ts';

let life: PageLife | undefined;
afterEach(async () => { await life?.stop(); life = undefined; });

const LITERAL = 'Lit3ralFeedKey9';
const FROM_ENV = 'EnvFeedKey-7777';
const PASSWORD = 'portal-pw-4242';

/** Everything an operator or a log reader sees of the feed, after a good poll, a failing one and a busy queue. */
async function everythingSeen(l: PageLife): Promise<string> {
  await l.startWorkers();
  expect(await l.pollOnce()).toMatchObject({ result: 'ok', fresh: 1 });
  await waitFor('the offer posted', () => l.x.posts().length === 1);
  l.page.failWith = 500;
  expect(await l.pollOnce()).toMatchObject({ result: 'error' });
  l.page.failWith = 404;
  expect(await l.pollOnce()).toMatchObject({ result: 'error' });
  const service = new RedisOperatorService(l.rt);
  const status = await service.status();
  const dash = await startDashboard(l.rt);
  try {
    const auth = `Basic ${Buffer.from('operator:dash-TEST-6666').toString('base64')}`;
    const page = await (await fetch(`${dash.url}/feeds`, { headers: { authorization: auth } })).text();
    const api = await (await fetch(`${dash.url}/api/status`, { headers: { authorization: auth } })).text();
    expect(page).toContain('HTTP 404'); // the feed page shows the feed and its error
    const jobs = await l.rt.queues.poll.getJobs(['waiting', 'delayed', 'completed', 'failed', 'active'], 0, 100);
    return [l.logs.join(''), JSON.stringify(status), renderStatus(status, createI18n('it'), () => 'Europe/Rome').join('\n'), page, api, JSON.stringify(jobs.map((j) => j.data))].join('\n');
  } finally {
    await dash.stop();
  }
}

describe('a feed URL with a key', () => {
  it('written as it is in the config, never shows the key', async () => {
    life = await startPageLife({ initial: [offer(1)], feedUrl: `{url}?page=1&apikey=${LITERAL}` });
    const seen = await everythingSeen(life);
    expect(seen).toContain('/offerte.html?page=1&apikey=[redacted]'); // the URL is shown, its key is not
    expect(seen).not.toContain(LITERAL);
  });

  it('from ${NAME}, or as a userinfo password, never shows it either', async () => {
    life = await startPageLife({
      initial: [offer(1)],
      feedUrl: `{url}?k=\${FEED_KEY}`.replace('http://', `http://ops:${PASSWORD}@`),
      env: { FEED_KEY: FROM_ENV },
    });
    const seen = await everythingSeen(life);
    expect(seen).toContain('feed poll failed');
    expect(seen).not.toContain(FROM_ENV);
    expect(seen).not.toContain(PASSWORD);
    // Nor does Redis hold it: offers name their feed by a hash of its URL.
    const stored = await life.rt.redis.hgetall(life.rt.keys.offer('pescara', (await life.rt.offers.list('pescara', 0, 1))[0]!));
    expect(JSON.stringify(stored)).not.toContain(FROM_ENV);
  });
});
