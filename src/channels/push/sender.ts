// SPDX-License-Identifier: EUPL-1.2
/**
 * The sender's pass (the `push-sender` duty): for every subscription with offers in its outbox, one
 * notification (one offer, or several counted together), at most once per offer and subscription.
 *
 * The ledger is claimed before sending and given back only when the push service certainly refused
 * (429, 5xx, no connection): a pass that dies after sending, or a timeout after the request left, never
 * notifies twice. That trades a rare lost notification (the offer is still in the app) for never
 * buzzing a phone twice. Waiting after 429 (Retry-After) holds every subscription of that push service;
 * a 5xx holds the one subscription, with the channel's backoff, for up to `attempts` tries.
 */
import { shortHash } from '../../redis/keys.ts';
import type { DutyReport } from '../../duties/duty.ts';
import type { ChannelServices } from '../definition.ts';
import type { PublisherConfig } from '../../config/schema.ts';
import type { PushConfig } from './config.ts';
import { PushStore, type Subscription } from './store.ts';
import { payloadFor, topicFor, type Notice, type NoticeWords } from './notice.ts';
import type { Sender } from './send.ts';
import { appUrlOf } from './urls.ts';

/** An offer that waited this long in an outbox is no news any more. */
const STALE_MS = 7 * 24 * 3_600_000;
/** Notifications in flight at once per pass. */
const CONCURRENCY = 8;

export interface PassDeps {
  services: ChannelServices;
  words: NoticeWords;
  senderFor: (pub: PublisherConfig, cfg: PushConfig) => Sender;
  signal?: AbortSignal;
}

const backoffMs = (cfg: PushConfig, failures: number) => Math.min(cfg.backoff.max, cfg.backoff.initial * cfg.backoff.factor ** Math.max(0, failures - 1));
const originScope = (endpoint: string) => `origin-${shortHash(new URL(endpoint).origin, 16)}`;

export async function sendPass(d: PassDeps): Promise<DutyReport> {
  const { services: s } = d;
  const store = new PushStore(s.redis, s.keys);
  const report = { sent: 0, offers: 0, gone: 0, rateLimited: 0, failed: 0, unknown: 0, refused: 0, dropped: 0 };
  for (const pub of s.config.publishers) {
    const cfg = pub.channels.push as PushConfig | undefined;
    if (!cfg) continue;
    const send = d.senderFor(pub, cfg);
    const topic = topicFor(pub.id);
    const appUrl = appUrlOf(s.publicUrl, pub.id);
    const subs = await store.all(pub.id);
    let budget = cfg.batch;

    const one = async (sub: Subscription): Promise<void> => {
      const now = s.now();
      const waiting = await store.pending(pub.id, sub.id);
      if (!waiting.length) return;
      if ((await store.waitUntil(pub.id, sub.id)) > now || (await store.waitUntil(pub.id, originScope(sub.endpoint))) > now) return;
      if (budget <= 0) return;
      budget--;
      const notices = await store.notices(pub.id, waiting);
      const live = notices.filter((n): n is Notice => n !== null && n.at > now - STALE_MS);
      const fresh = new Set(await store.claim(pub.id, sub.id, live.map((n) => n.key), now));
      // Closed (notice dropped), stale, or already notified: out of the outbox without a word.
      const done = waiting.filter((k) => !fresh.has(k));
      if (done.length) { await store.unqueue(pub.id, sub.id, done); report.dropped += done.length; }
      const batch = live.filter((n) => fresh.has(n.key));
      if (!batch.length) return;
      const keys = batch.map((n) => n.key);
      const result = await send(sub, payloadFor(batch, appUrl, d.words), topic);
      const log = s.logger.child({ publisher: pub.id, subscription: sub.id });
      switch (result.kind) {
        case 'accepted':
          await store.unqueue(pub.id, sub.id, keys);
          await store.succeeded(pub.id, sub.id);
          report.sent++; report.offers += keys.length;
          return;
        case 'gone':
          await store.remove(pub.id, sub.id);
          log.info({ status: result.status }, 'push subscription gone: deleted');
          report.gone++;
          return;
        case 'rate-limited':
          await store.unclaim(pub.id, sub.id, keys);
          await store.setWait(pub.id, originScope(sub.endpoint), result.retryAtMs, now);
          log.warn({ retryAt: new Date(result.retryAtMs).toISOString() }, 'push service asked to wait (429)');
          report.rateLimited++;
          return;
        case 'transient': {
          await store.unclaim(pub.id, sub.id, keys);
          const failures = await store.failed(pub.id, sub.id);
          if (failures >= cfg.attempts) {
            // As many tries as the channel allows: these offers stay in the app, not in the outbox.
            await store.unqueue(pub.id, sub.id, keys);
            await store.succeeded(pub.id, sub.id);
            log.warn({ status: result.status, message: result.message, failures }, 'push notification given up after its attempts');
            report.dropped += keys.length;
          } else {
            await store.setWait(pub.id, sub.id, now + backoffMs(cfg, failures), now);
            log.warn({ status: result.status, message: result.message, failures }, 'push service failed; trying again later');
          }
          report.failed++;
          return;
        }
        case 'unknown':
          await store.unqueue(pub.id, sub.id, keys);
          log.warn({ message: result.message }, 'push notification outcome unknown: not sent again');
          report.unknown++;
          return;
        case 'refused':
          await store.unqueue(pub.id, sub.id, keys);
          log.error({ status: result.status, message: result.message }, 'push service refused the notification');
          report.refused++;
          return;
      }
    };

    const queue = [...subs];
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
      for (let sub = queue.shift(); sub && !d.signal?.aborted; sub = queue.shift()) {
        try { await one(sub); } catch (e) { s.logger.error({ err: e, publisher: pub.id }, 'push sender: one subscription failed'); }
      }
    }));
    await store.pruneNotices(pub.id, s.now() - STALE_MS);
  }
  return report;
}
