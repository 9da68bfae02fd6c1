// SPDX-License-Identifier: EUPL-1.2
/**
 * The world the dashboard's page tests and the operator contract run on: two offices (Pescara with X
 * and Facebook, Teramo with Facebook), posted and failed posts in both, one channel paused by an auth
 * failure, a failing feed, counters and limit windows in use. Data from feeds is hostile on purpose.
 */
import type { World } from './operator-world.ts';

export function fixtureWorld(now = Date.now()): World {
  return {
    now,
    publishers: [
      { id: 'pescara', name: 'Provincia di Pescara', networks: ['twitter', 'facebook'], feeds: ['https://lavoro.example.it/offerte.rss'] },
      { id: 'teramo', name: 'CPI Teramo', networks: ['facebook'], feeds: ['https://teramo.example.it/feed'] },
    ],
    offers: [
      {
        publisher: 'pescara', key: 'a1b2c3', code: 'PE-2026-041', title: 'Magazziniere <script>alert(1)</script>', url: 'https://lavoro.example.it/o/41', firstSeenAt: now - 7_200_000,
        posts: [
          { network: 'twitter', state: 'posted', remoteId: '1900000000000000001', permalink: 'https://x.example/i/status/1900000000000000001', postedAt: now - 3_600_000, text: 'Magazziniere a Pescara https://lavoro.example.it/o/41' },
          { network: 'facebook', state: 'posted', remoteId: '111_222', permalink: 'https://facebook.example/111_222', postedAt: now - 3_000_000 },
        ],
      },
      {
        publisher: 'pescara', key: 'd4e5f6', code: 'PE-2026-042', title: 'Cuoco stagionale', url: 'https://lavoro.example.it/o/42', firstSeenAt: now - 3_600_000,
        posts: [
          { network: 'twitter', state: 'failed', error: { errorClass: 'transient', message: 'HTTP 503 from X', at: now - 600_000 } },
          { network: 'facebook', state: 'posted', remoteId: '111_333', permalink: 'https://facebook.example/111_333', postedAt: now - 500_000 },
        ],
      },
      {
        publisher: 'teramo', key: 't7e8r9', code: 'TE-2026-007', title: 'Operaio edile a Teramo', url: 'https://teramo.example.it/o/7', firstSeenAt: now - 5_400_000,
        posts: [{ network: 'facebook', state: 'posted', remoteId: '333_444', permalink: 'https://facebook.example/333_444', postedAt: now - 2_000_000 }],
      },
      {
        publisher: 'teramo', key: 'q1w2e3', code: 'TE-2026-008', title: 'Impiegata amministrativa Teramo', url: 'https://teramo.example.it/o/8', firstSeenAt: now - 1_800_000,
        posts: [{ network: 'facebook', state: 'failed', error: { errorClass: 'auth', message: 'Error validating access token (code 190)', at: now - 120_000 } }],
      },
    ],
    paused: [{ publisher: 'teramo', network: 'facebook', kind: 'auth', reason: 'Error validating access token (code 190)', since: now - 60_000 }],
    feeds: [
      { publisher: 'pescara', url: 'https://lavoro.example.it/offerte.rss', ok: { at: now - 60_000, items: 12, fresh: 2, nextPollAt: now + 840_000 } },
      { publisher: 'teramo', url: 'https://teramo.example.it/feed', failing: { times: 3, error: 'HTTP 503 <b>down</b>', at: now - 60_000, nextPollAt: now + 300_000 } },
    ],
    failures: [
      { publisher: 'pescara', network: 'twitter', offerKey: 'd4e5f6', errorClass: 'transient', message: 'HTTP 503 from X' },
      { publisher: 'teramo', network: 'facebook', offerKey: 'q1w2e3', errorClass: 'auth', message: 'Error validating access token (code 190)' },
    ],
    queued: [
      { publisher: 'pescara', network: 'twitter', offerKey: 'w1' },
      { publisher: 'pescara', network: 'twitter', offerKey: 'w2' },
      { publisher: 'pescara', network: 'twitter', offerKey: 'w3', delayed: true },
    ],
    limits: [{ publisher: 'pescara', network: 'twitter', windows: [{ max: 100, per: '15m', perMs: 900_000, used: 4 }, { max: 17, per: '24h', perMs: 86_400_000, used: 17 }] }],
    counters: {
      posts: [{ publisher: 'pescara', network: 'twitter', outcome: 'posted', value: 5 }, { publisher: 'teramo', network: 'facebook', outcome: 'posted', value: 1 }],
      polls: [{ publisher: 'pescara', result: 'ok', value: 9 }, { publisher: 'teramo', result: 'error', value: 3 }],
      limitRefusals: [{ publisher: 'pescara', network: 'twitter', value: 2 }],
    },
    audit: [
      { at: now - 900_000, who: 'admin', action: 'pause', target: 'teramo/facebook', result: 'ok', publisher: 'teramo', network: 'facebook' },
      { at: now - 800_000, who: 'admin', action: 'resume', target: 'teramo/facebook', result: 'ok', publisher: 'teramo', network: 'facebook', count: 0 },
      { at: now - 700_000, who: 'admin', action: 'pause', target: 'pescara/facebook', result: 'ok', publisher: 'pescara', network: 'facebook' },
      { at: now - 650_000, who: 'admin', action: 'resume', target: 'pescara/facebook', result: 'ok', publisher: 'pescara', network: 'facebook', count: 0 },
      { at: now - 600_000, who: 'admin', action: 'login', target: 'dashboard', result: 'ok' },
    ],
  };
}
