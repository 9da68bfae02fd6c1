// SPDX-License-Identifier: EUPL-1.2
/**
 * The digest duty: at each schedule slot (schedule.ts) it mails every confirmed subscriber one message
 * with the offers recorded in the outbox since their last digest that match their preferences.
 *
 * Each offer reaches each subscriber at most once. A digest (`run:{pub}:{slot}`) fixes the outbox
 * sequence it covers (`upTo`) when it starts; the ledger `ledger:{pub}:{slot}` holds one field per
 * subscriber. Before a message goes, one MULTI marks the subscriber `sending` there and moves their
 * cursor past `upTo`: from then on no digest lists those offers to them again, whatever happens. After
 * the answer the field says `sent`, `suppressed` (5xx: the address is never written to again) or
 * `doubt` (the connection died after the message was handed over: maybe delivered, never re-sent). A
 * 4xx or a connection that never opened gives the offers back (the field goes, the cursor returns) and
 * the subscriber is tried again at a later pass, `attempts` times with `backoff`; after that the offers
 * wait for the next digest. A process that dies between the mark and the answer leaves `sending`:
 * counted as in doubt, never re-sent.
 *
 * Other keys under `ch:newsletter:`: `state:{pub}` hash (current slot in progress, last finished slot
 * and its upTo); `digests:{pub}` sorted set of slots by start time (operators' "last digests");
 * `tries:{pub}:{slot}` hash subscriber → 4xx count and when to try again; `window:{account}:{max}per{ms}`
 * sorted sets, the sending limits' sliding windows.
 */
import type { DutyContext, DutyReport } from '../../duties/duty.ts';
import type { ChannelServices } from '../definition.ts';
import type { PublisherConfig } from '../../config/schema.ts';
import type { JobOffer } from '../../domain/offer.ts';
import { matches } from '../audience/preferences.ts';
import type { NewsletterConfig } from './config.ts';
import { fromAddress } from './config.ts';
import { newsletterAccount } from './account.ts';
import { currentSlot } from './schedule.ts';
import { Outbox, type DigestItem } from './outbox.ts';
import { Subscribers, type Subscriber } from './subscribers.ts';
import { renderDigest } from './render.ts';
import { MailSender, digestMessageId, unsubscribeHeaders, type SendResult } from './sender.ts';
import { publicBase, subscribeUrl, unsubscribeUrl } from './links.ts';

export type LedgerMark = 'sending' | 'sent' | 'doubt' | 'suppressed' | 'failed';

export interface DigestSummary {
  slot: string;
  startedAt: number;
  finishedAt?: number;
  upTo: number;
  sent: number;
  doubt: number;
  suppressed: number;
  failed: number;
}

/** `matches()` reads only the place, contract, hours and title, which an item keeps. */
const asOffer = (i: DigestItem): JobOffer => ({ ...i, sourceId: i.key, text: '', contentHash: '', feedUrl: '' });

/** How many digests the operators' list keeps per publisher. */
const KEEP_DIGESTS = 200;

/** How long one pass may send before it lets the next pass go on (a pass is bounded, see src/duties). */
const PASS_BUDGET_MS = 20_000;

export class DigestRunner {
  readonly subscribers: Subscribers;
  readonly outbox: Outbox;

  constructor(private readonly s: ChannelServices) {
    this.subscribers = new Subscribers(s);
    this.outbox = new Outbox(s);
  }

  private key(...parts: string[]) { return this.s.keys.channelData('newsletter', ...parts); }

  async pass(ctx: Pick<DutyContext, 'signal'> & Partial<DutyContext>): Promise<DutyReport> {
    const report: DutyReport = { sent: 0, doubt: 0, suppressed: 0, deferred: 0 };
    const deadline = this.s.now() + PASS_BUDGET_MS;
    for (const pub of this.s.config.publishers) {
      const cfg = pub.channels.newsletter as NewsletterConfig | undefined;
      if (!cfg || ctx.signal.aborted) continue;
      try {
        const r = await this.publisherPass(pub, cfg, deadline, ctx.signal);
        for (const k of ['sent', 'doubt', 'suppressed', 'deferred'] as const) report[k] = (report[k] as number) + r[k];
      } catch (e) {
        this.s.logger.error({ err: e, publisher: pub.id }, 'newsletter digest pass failed; the next pass goes on');
      }
    }
    return report;
  }

  /** The digest of this slot, started if there is something new. Null when there is nothing to do. */
  private async digestToWork(pub: PublisherConfig, cfg: NewsletterConfig): Promise<{ slot: string; upTo: number } | null> {
    const stateKey = this.key('state', pub.id);
    const st = await this.s.redis.hgetall(stateKey);
    if (st.current) return { slot: st.current, upTo: Number(st.currentUpTo) };
    const slot = currentSlot(cfg.schedule, this.s.now(), pub.timezone);
    const seq = await this.outbox.seq(pub.id);
    if (slot.id === st.lastDone || seq <= Number(st.lastUpTo ?? 0)) return null;
    await this.s.redis.multi()
      .hset(stateKey, { current: slot.id, currentUpTo: seq })
      .hset(this.key('run', pub.id, slot.id), { startedAt: this.s.now(), upTo: seq })
      .zadd(this.key('digests', pub.id), this.s.now(), slot.id)
      .exec();
    return { slot: slot.id, upTo: seq };
  }

  private async publisherPass(pub: PublisherConfig, cfg: NewsletterConfig, deadline: number, signal: AbortSignal) {
    const out = { sent: 0, doubt: 0, suppressed: 0, deferred: 0 };
    const digest = await this.digestToWork(pub, cfg);
    if (!digest) return out;
    const { slot, upTo } = digest;
    const ledgerKey = this.key('ledger', pub.id, slot);
    const triesKey = this.key('tries', pub.id, slot);
    const base = publicBase(this.s);
    const sender = new MailSender(cfg.smtp.url, cfg.from, this.s.config.worker.postTimeout);
    const mailto = `mailto:${fromAddress(cfg.from)}?subject=${encodeURIComponent('disiscrivi')}`;
    const { accountKey } = newsletterAccount(cfg);
    let unfinished = false;

    for (const id of await this.subscribers.confirmedIds(pub.id)) {
      if (signal.aborted || this.s.now() > deadline) { unfinished = true; break; }
      if (await this.s.redis.hexists(ledgerKey, id)) continue;
      const retry = await this.s.redis.hget(triesKey, id);
      if (retry && Number(retry.split(':')[1]) > this.s.now()) { unfinished = true; continue; }
      const sub = await this.subscribers.get(pub.id, id);
      if (!sub || sub.state !== 'confirmed' || sub.cursor >= upTo || !sub.unsubscribeToken) continue;
      const items = (await this.outbox.between(pub.id, sub.cursor, upTo)).filter((i) => matches(asOffer(i), sub.prefs));
      if (!items.length) {
        // Nothing of this digest is for them: their cursor moves on without a message.
        await this.s.redis.hset(this.subscribers.key('sub', pub.id, id), 'cursor', upTo);
        continue;
      }
      if (!(await this.takeWindow(accountKey, cfg))) { unfinished = true; break; }
      // The mark and the cursor together: once this holds, these offers never go to them again.
      const claimed = await this.s.redis.multi().hsetnx(ledgerKey, id, 'sending').hset(this.subscribers.key('sub', pub.id, id), 'cursor', upTo).exec();
      // Another process got there first (a duty lock that expired mid-pass): theirs is the only send.
      if (claimed?.[0]?.[1] !== 1) continue;
      const unsub = unsubscribeUrl(base, pub.id, sub.unsubscribeToken);
      const mail = renderDigest({ publisherName: pub.name, timezone: pub.timezone, items, unsubscribeUrl: unsub, subscribeUrl: subscribeUrl(base, pub.id) });
      const result = await sender.send({
        ...mail, to: sub.email, messageId: digestMessageId(pub.id, slot, id, fromAddress(cfg.from)), headers: unsubscribeHeaders(unsub, mailto),
      });
      const kind = await this.settle(pub, cfg, sub, slot, result);
      if (kind === 'sent') out.sent++;
      else if (kind === 'doubt') out.doubt++;
      else if (kind === 'suppressed') out.suppressed++;
      else if (kind === 'deferred') { out.deferred++; unfinished = true; }
      else if (kind === 'auth') { unfinished = true; break; }
    }
    sender.close();
    if (!unfinished) await this.finish(pub.id, slot, upTo);
    return out;
  }

  /** Writes what the server answered into the ledger, the subscriber and the digest's counts. */
  private async settle(pub: PublisherConfig, cfg: NewsletterConfig, sub: Subscriber, slot: string, result: SendResult): Promise<'sent' | 'doubt' | 'suppressed' | 'deferred' | 'failed' | 'auth'> {
    const ledgerKey = this.key('ledger', pub.id, slot);
    const runKey = this.key('run', pub.id, slot);
    const subKey = this.subscribers.key('sub', pub.id, sub.id);
    const log = this.s.logger.child({ publisher: pub.id, digest: slot, subscriber: sub.id });
    switch (result.kind) {
      case 'sent':
        await this.s.redis.multi().hset(ledgerKey, sub.id, 'sent').hincrby(runKey, 'sent', 1).hset(subKey, 'lastDigest', slot).exec();
        return 'sent';
      case 'unknown':
        log.warn({ reason: result.reason }, 'newsletter digest in doubt: the connection died after the message was handed over; it is not sent again');
        await this.s.redis.multi().hset(ledgerKey, sub.id, 'doubt').hincrby(runKey, 'doubt', 1).exec();
        return 'doubt';
      case 'refused':
        log.warn({ reason: result.reason }, 'the mail server refused the address for good: suppressed');
        await this.s.redis.multi().hset(ledgerKey, sub.id, 'suppressed').hincrby(runKey, 'suppressed', 1).exec();
        await this.subscribers.suppress(pub.id, sub.id, result.reason);
        return 'suppressed';
      case 'auth':
      case 'retry': {
        // Nothing was delivered: the offers go back to them (field away, cursor back).
        const triesKey = this.key('tries', pub.id, slot);
        const tries = Number((await this.s.redis.hget(triesKey, sub.id))?.split(':')[0] ?? 0) + 1;
        const give = this.s.redis.multi().hdel(ledgerKey, sub.id).hset(subKey, 'cursor', sub.cursor);
        if (result.kind === 'auth') {
          log.error({ reason: result.reason }, 'the mail server refused the sign-in: the digest waits');
          await give.exec();
          return 'auth';
        }
        if (tries >= cfg.attempts) {
          log.warn({ reason: result.reason, tries }, 'the mail server kept answering "try later": these offers wait for the next digest');
          await give.hset(ledgerKey, sub.id, 'failed').hincrby(runKey, 'failed', 1).exec();
          return 'failed';
        }
        const wait = Math.min(cfg.backoff.max, cfg.backoff.initial * cfg.backoff.factor ** (tries - 1));
        log.info({ reason: result.reason, tries, waitMs: wait }, 'the mail server said "try later"');
        await give.hset(triesKey, sub.id, `${tries}:${this.s.now() + wait}`).exec();
        return 'deferred';
      }
    }
  }

  /** Takes one message from every sending window, or none when one of them is full. */
  private async takeWindow(accountKey: string, cfg: NewsletterConfig): Promise<boolean> {
    const now = this.s.now();
    const keys = cfg.limits.map((w) => ({ w, key: this.key('window', accountKey, `${w.max}per${w.per}`) }));
    for (const { w, key } of keys) {
      await this.s.redis.zremrangebyscore(key, '-inf', now - w.per);
      if ((await this.s.redis.zcard(key)) >= w.max) return false;
    }
    const member = `${now}-${Math.random().toString(36).slice(2, 8)}`;
    const m = this.s.redis.multi();
    for (const { w, key } of keys) m.zadd(key, now, member).pexpire(key, w.per);
    await m.exec();
    return true;
  }

  private async finish(pub: string, slot: string, upTo: number): Promise<void> {
    const ledger = await this.s.redis.hgetall(this.key('ledger', pub, slot));
    // A `sending` left by a process that died mid-answer is in doubt.
    const stuck = Object.values(ledger).filter((v) => v === 'sending').length;
    const m = this.s.redis.multi()
      .hset(this.key('state', pub), { lastDone: slot, lastUpTo: upTo })
      .hdel(this.key('state', pub), 'current', 'currentUpTo')
      .hset(this.key('run', pub, slot), 'finishedAt', this.s.now())
      .del(this.key('tries', pub, slot));
    if (stuck) m.hincrby(this.key('run', pub, slot), 'doubt', stuck);
    // Nothing stays for ever (Redis runs with noeviction): a finished digest's ledger is needed no more
    // once its offers have left the outbox, its summary only for the operators' latest list.
    const keep = this.s.config.retention;
    m.pexpire(this.key('ledger', pub, slot), keep).pexpire(this.key('run', pub, slot), keep)
      .zremrangebyrank(this.key('digests', pub), 0, -(KEEP_DIGESTS + 1));
    await m.exec();
    await this.outbox.prune(pub, upTo, this.s.now() - keep);
  }

  /** The latest digests, newest first (operators' view). */
  async latest(pub: string, n = 10): Promise<DigestSummary[]> {
    const slots = await this.s.redis.zrevrange(this.key('digests', pub), 0, n - 1);
    const out: DigestSummary[] = [];
    for (const slot of slots) {
      const h = await this.s.redis.hgetall(this.key('run', pub, slot));
      out.push({
        slot, startedAt: Number(h.startedAt ?? 0), upTo: Number(h.upTo ?? 0), ...(h.finishedAt ? { finishedAt: Number(h.finishedAt) } : {}),
        sent: Number(h.sent ?? 0), doubt: Number(h.doubt ?? 0), suppressed: Number(h.suppressed ?? 0), failed: Number(h.failed ?? 0),
      });
    }
    return out;
  }
}
