// SPDX-License-Identifier: EUPL-1.2
/**
 * The OperatorService on real Redis and queues: what `banditore status`, pause/resume and the
 * dashboard read and do. Audit entries are written by the caller that knows who acted (dashboard
 * actions, CLI commands), once.
 *
 * Each instance is a view limited to its scope (./scope.ts): `new RedisOperatorService(rt)` sees
 * everything (the CLI), `forScope` gives the dashboard the signed-in person's part. A new method follows
 * the same rule: filter what it lists with `this.sees(publisher)`, call `assertMayAct(this.scope, …)`
 * first in an action, and add its case to the contract suite (test/operator/contract.ts).
 */
import type { Runtime } from '../app/runtime.ts';
import type { JobOffer, NetworkName } from '../domain/offer.ts';
import type { ErrorClass } from '../channels/channel.ts';
import { QueueInspector } from '../queue/inspect.ts';
import { networkIds } from '../channels/registry.ts';
import { previewLength } from '../format/render.ts';
import { formatter } from '../app/formatter.ts';
import { makeScrubber, type Scrubber } from '../log/redact.ts';
import type { ChannelEntry } from '../delivery/deps.ts';
import type { ChannelRunState } from './channel-state.ts';
import { DoubtDesk } from './doubt.ts';
import { isInDoubt } from '../ledger/doubt.ts';
import type { InDoubtPost } from './operator.ts';
import type { AuditEntry, CancelResult, ChannelStatus, Counters, FailureItem, FeedStatus, OfferChannelView, OfferDetail, OfferLookup, OfferQuery, OfferView, OperatorService, SignInFailure, StatusReport } from './operator.ts';
import { channelStory, locateOffer } from './offer-detail.ts';
import { FULL_SCOPE, NotFoundError, assertMayAct, assertSees, isUnrestricted, narrow, sees, type Scope } from './scope.ts';

/** Many feeds give the office's offer code only as the item's id (RSS guid): show that as the code. */
function offerCode(o: JobOffer): string | undefined {
  return o.code ?? (/^[a-z][a-z0-9+.-]*:/i.test(o.sourceId) ? undefined : o.sourceId);
}

/** How many of a publisher's newest offers a search looks through. */
const SEARCH_DEPTH = 2000;
/** The latest posts are read in pages of this many until a scoped view has found enough of its own. */
const RECENT_PAGE = 200;
const RECENT_DEPTH = 5000;

export class RedisOperatorService implements OperatorService {
  private readonly inspector: QueueInspector;
  /** Everything shown to operators passes through it: an error message or a feed URL may hold a secret. */
  private readonly scrub: Scrubber;
  private readonly doubt: DoubtDesk;
  constructor(private readonly rt: Runtime, readonly scope: Scope = FULL_SCOPE, shared?: { inspector: QueueInspector; scrub: Scrubber; doubt: DoubtDesk }) {
    this.inspector = shared?.inspector ?? new QueueInspector(rt.queues);
    this.scrub = shared?.scrub ?? makeScrubber(rt.loaded.secrets);
    this.doubt = shared?.doubt ?? new DoubtDesk({ ...rt, postTimeoutMs: rt.config.worker.postTimeout });
  }

  /** The networks some publisher has configured, in registry order. */
  private networksInUse(): NetworkName[] {
    const used = new Set(this.rt.book.all().map((e) => e.network));
    return networkIds().filter((n) => used.has(n));
  }

  forScope(scope: Scope): RedisOperatorService {
    return new RedisOperatorService(this.rt, narrow(this.scope, scope), { inspector: this.inspector, scrub: this.scrub, doubt: this.doubt });
  }

  private sees(publisher: string): boolean { return sees(this.scope, publisher); }

  private entry(publisher: string, network: NetworkName) {
    const e = this.rt.book.get(publisher, network);
    if (!e) throw new NotFoundError(`not found: no ${network} channel for publisher ${publisher}`);
    return e;
  }

  async status(): Promise<StatusReport> {
    const now = this.rt.now();
    const byPub = new Map<NetworkName, Awaited<ReturnType<QueueInspector['countsByPublisher']>>>();
    const mine = this.rt.book.all().filter((e) => this.sees(e.publisher.id));
    for (const net of this.networksInUse()) {
      const users = this.rt.book.all().filter((e) => e.network === net);
      if (!mine.some((e) => e.network === net)) continue;
      // The dashboard asks for this every few seconds: when one publisher has the queue to itself, the
      // queue's own counters are exact and cost one call; only shared queues need their jobs read.
      if (users.length === 1) {
        const c = await this.inspector.counts(net);
        byPub.set(net, new Map([[users[0]!.publisher.id, c]]));
      } else byPub.set(net, await this.inspector.countsByPublisher(net));
    }
    const counters = await this.rt.counters.read();
    // Posted counts per channel summed once: filtering every counter for every channel was quadratic in
    // the publishers, and /metrics asks for this on every scrape.
    const postedBy = new Map<string, number>();
    for (const p of counters.posts) {
      if (p.outcome !== 'posted' && p.outcome !== 'reconciled' && p.outcome !== 'duplicate') continue;
      const k = `${p.publisher}\u0000${p.network}`;
      postedBy.set(k, (postedBy.get(k) ?? 0) + p.value);
    }
    // Channels are read all at once (the store connection pipelines them): with a thousand publishers
    // one read after another took seconds, and the dashboard asks every few seconds.
    const channels: ChannelStatus[] = await Promise.all(mine.map(async (e): Promise<ChannelStatus> => {
      const state = this.rt.channels.get(e.publisher.id, e.network);
      const { accountKey, appKey } = await this.accountKeys(e, state);
      const [st, held, waitUntil, limits] = await Promise.all([
        state,
        this.rt.channels.heldCount(e.publisher.id, e.network),
        this.rt.gate.waitUntil([accountKey, appKey]),
        this.rt.limiter.usage(accountKey, e.config.limits, now),
      ]);
      const c = byPub.get(e.network)?.get(e.publisher.id) ?? { waiting: 0, delayed: 0, active: 0, failed: 0 };
      const posted = postedBy.get(`${e.publisher.id}\u0000${e.network}`) ?? 0;
      return {
        publisher: e.publisher.id,
        network: e.network,
        state: st.paused ? 'paused' : 'active',
        ...(st.paused ? { paused: { kind: st.kind ?? 'operator', reason: st.reason ?? '', since: st.since ?? now, ...(st.by ? { by: st.by } : {}) } } : {}),
        counts: { waiting: c.waiting, delayed: Math.max(0, c.delayed - held), active: c.active, failed: c.failed, held, posted },
        limits,
        ...(waitUntil > now ? { waitUntil } : {}),
        ...(st.lastErrorClass ? { lastError: { errorClass: st.lastErrorClass, message: st.lastError ?? '', at: st.lastErrorAt ?? 0 } } : {}),
        ...(st.lastPostAt ? { lastPostAt: st.lastPostAt } : {}),
      };
    }));
    const feeds: FeedStatus[] = await Promise.all(this.rt.config.publishers.filter((p) => this.sees(p.id)).flatMap((p) => [...p.feeds, ...p.pages].map(async (f) => ({ publisher: p.id, url: f.url, ...(await this.rt.feeds.get(p.id, f.url)).status }))));
    return this.scrub({ generatedAt: now, channels, feeds });
  }

  /**
   * The keys of the account's limit windows and waits. A process without the channel's credentials
   * reads the ones its workers recorded (an X key is a hash of the token it does not have).
   */
  private async accountKeys(e: ChannelEntry, state?: Promise<ChannelRunState>): Promise<{ accountKey: string; appKey: string }> {
    if (!e.credentials) return { accountKey: e.channel.accountKey, appKey: e.channel.appKey };
    const st = await (state ?? this.rt.channels.get(e.publisher.id, e.network));
    return { accountKey: st.accountKey ?? e.channel.accountKey, appKey: st.appKey ?? e.channel.appKey };
  }

  private async view(publisher: string, key: string): Promise<OfferView | null> {
    const stored = await this.rt.offers.get(publisher, key);
    if (!stored) return null;
    const o = stored.offer;
    const channels: OfferChannelView[] = [];
    for (const net of this.networksInUse()) {
      const e = this.rt.book.get(publisher, net);
      if (!e) continue;
      const l = await this.rt.ledger.get(publisher, net, key);
      let preview: OfferChannelView['preview'];
      try {
        // What was sent, or what would be sent now.
        const text = l?.text ?? formatter.renderPost(o, e.publisher, net, e.template).post.text;
        const len = previewLength(text, net);
        preview = { text, link: o.url, length: len.length, limit: len.limit };
      } catch { preview = undefined; }
      channels.push({
        network: net,
        state: l?.state ?? 'queued',
        ...(l?.remoteId ? { remoteId: l.remoteId } : {}),
        ...(l?.permalink ? { permalink: l.permalink } : {}),
        ...(l?.postedAt ? { postedAt: l.postedAt } : {}),
        ...(l?.updatedAt ? { updatedAt: l.updatedAt } : {}),
        ...(l?.errorClass ? { lastError: { errorClass: l.errorClass, message: l.lastError ?? l.reason ?? '', at: l.lastErrorAt ?? 0 } } : {}),
        ...(preview ? { preview } : {}),
        ...(l && isInDoubt(l) ? { inDoubt: true } : {}),
      });
    }
    const code = offerCode(o);
    return {
      publisher, key, title: o.title, url: o.url, firstSeenAt: stored.firstSeenAt, state: stored.state, channels,
      ...(code ? { code } : {}), ...(o.location ? { location: o.location } : {}), ...(o.validThrough ? { validThrough: o.validThrough } : {}),
    };
  }

  async getOffer(publisher: string, key: string): Promise<OfferView | null> {
    assertSees(this.scope, publisher);
    if (!this.rt.config.publishers.some((p) => p.id === publisher)) return null;
    return this.scrub(await this.view(publisher, key));
  }

  async listOffers(q: OfferQuery): Promise<{ total: number; offers: OfferView[] }> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const offset = Math.max(q.offset ?? 0, 0);
    const needle = q.search?.trim().toLowerCase();
    const filtering = Boolean(needle || q.network || q.state);
    const matches: OfferView[] = [];
    let total = 0;
    for (const p of this.rt.config.publishers) {
      if ((q.publisher && p.id !== q.publisher) || !this.sees(p.id)) continue;
      if (!filtering) {
        const count = await this.rt.offers.count(p.id);
        const from = Math.max(0, offset - total);
        total += count;
        if (matches.length < limit && from < count) {
          for (const key of await this.rt.offers.list(p.id, from, limit - matches.length)) {
            const v = await this.view(p.id, key);
            if (v) matches.push(v);
          }
        }
        continue;
      }
      for (const key of await this.rt.offers.list(p.id, 0, SEARCH_DEPTH)) {
        const v = await this.view(p.id, key);
        if (!v) continue;
        if (needle && !(`${v.code ?? ''} ${v.title}`.toLowerCase().includes(needle))) continue;
        if (q.network && !v.channels.some((c) => c.network === q.network && (!q.state || c.state === q.state))) continue;
        if (!q.network && q.state && !v.channels.some((c) => c.state === q.state)) continue;
        total++;
        if (total > offset && matches.length < limit) matches.push(v);
      }
    }
    return this.scrub({ total, offers: matches });
  }

  async recentPosts(limit: number) {
    const out: Awaited<ReturnType<OperatorService['recentPosts']>> = [];
    const want = Math.max(0, limit);
    // An unrestricted view reads exactly what it shows; a scoped one reads pages until it has enough
    // of its own offices' posts (bounded: the set itself keeps about a thousand).
    const page = isUnrestricted(this.scope) ? Math.max(1, want) : RECENT_PAGE;
    for (let from = 0; out.length < want && from < RECENT_DEPTH; from += page) {
      const rows = await this.rt.redis.zrevrange(this.rt.keys.recentPosts(), from, from + page - 1, 'WITHSCORES');
      await this.addRecent(rows, out, want);
      if (rows.length < page * 2) break;
    }
    return this.scrub(out);
  }

  private async addRecent(rows: string[], out: Awaited<ReturnType<OperatorService['recentPosts']>>, want: number): Promise<void> {
    for (let i = 0; i < rows.length && out.length < want; i += 2) {
      const [publisher, network, offerKey] = rows[i]!.split('|') as [string, NetworkName, string];
      if (!this.sees(publisher)) continue;
      const stored = await this.rt.offers.get(publisher, offerKey);
      const l = await this.rt.ledger.get(publisher, network, offerKey);
      out.push({ publisher, network, offerKey, title: stored?.offer.title ?? (offerKey.startsWith('digest-') ? 'Riepilogo offerte' : offerKey), ...(stored && offerCode(stored.offer) ? { code: offerCode(stored.offer) } : {}), ...(l?.permalink ? { permalink: l.permalink } : {}), postedAt: Number(rows[i + 1]) });
    }
  }

  async failures(): Promise<Partial<Record<ErrorClass, FailureItem[]>>> {
    const groups: Partial<Record<ErrorClass, FailureItem[]>> = {};
    for (const net of this.networksInUse()) {
      if (!this.rt.book.all().some((e) => e.network === net && this.sees(e.publisher.id))) continue;
      for (const f of await this.inspector.failed(net)) {
        if (!this.sees(f.task.publisher)) continue;
        const l = await this.rt.ledger.get(f.task.publisher, net, f.task.offerKey);
        // A post of a cancelled offer has nothing left to retry: its failed job is history, not work.
        if (l?.state === 'cancelled') continue;
        const stored = await this.rt.offers.get(f.task.publisher, f.task.offerKey);
        const cls: ErrorClass = l?.errorClass ?? 'transient';
        (groups[cls] ??= []).push({ jobId: f.jobId, publisher: f.task.publisher, network: net, offerKey: f.task.offerKey, title: stored?.offer.title ?? f.task.offerKey, message: l?.lastError ?? f.reason, at: f.failedAt });
      }
    }
    return this.scrub(groups);
  }

  async pause(publisher: string, network: NetworkName, who: string): Promise<void> {
    assertMayAct(this.scope, publisher);
    this.entry(publisher, network);
    await this.rt.channels.pause(publisher, network, 'operator', `paused by ${who}`, this.rt.now(), who);
  }

  async resume(publisher: string, network: NetworkName, _who: string): Promise<{ released: number }> {
    assertMayAct(this.scope, publisher);
    this.entry(publisher, network);
    const held = await this.rt.channels.resume(publisher, network);
    const released = await this.inspector.release(held);
    await this.rt.channels.released(publisher, network, released);
    return { released: released.length };
  }

  async retryJob(jobId: string, _who: string): Promise<void> {
    assertMayAct(this.scope);
    // Job ids name their publisher (jobIdFor: kind.publisher.network.key…).
    const publisher = jobId.split('.')[1];
    if (!isUnrestricted(this.scope)) {
      if (!publisher) throw new NotFoundError(`not found: job ${jobId}`);
      assertMayAct(this.scope, publisher);
    }
    if (!(await this.inspector.retry(jobId))) throw new NotFoundError(`not found: job ${jobId}`);
  }

  async retryFailures(errorClass: ErrorClass, who: string, filter: { publisher?: string } = {}): Promise<number> {
    assertMayAct(this.scope, filter.publisher);
    const items = ((await this.failures())[errorClass] ?? []).filter((i) => !filter.publisher || i.publisher === filter.publisher);
    for (const i of items) await this.retryJob(i.jobId, who);
    return items.length;
  }

  async cancelOffer(publisher: string, key: string, _who: string): Promise<CancelResult> {
    assertMayAct(this.scope, publisher);
    const pub = this.rt.config.publishers.find((p) => p.id === publisher);
    const stored = pub ? await this.rt.offers.get(publisher, key) : null;
    if (!pub || !stored) throw new NotFoundError(`not found: offer ${publisher}/${key}`);
    const entries = this.rt.book.all().filter((e) => e.publisher.id === publisher);
    const before = await Promise.all(entries.map((e) => this.rt.ledger.get(publisher, e.network, key)));
    const changed = await this.rt.closer.close(pub, key, 'cancelled by an operator', this.rt.now(), { cancel: true });
    const after = await Promise.all(entries.map((e) => this.rt.ledger.get(publisher, e.network, key)));
    const result: CancelResult = { changed, previousState: stored.state, cancelled: [], staying: [], inDoubt: [] };
    entries.forEach((e, i) => {
      const l = after[i];
      if (l?.state === 'cancelled' && before[i]?.state !== 'cancelled') result.cancelled.push(e.network);
      else if (l?.state === 'posted') result.staying.push({ network: e.network, ...(l.remoteId ? { remoteId: l.remoteId } : {}), ...(l.permalink ? { permalink: l.permalink } : {}) });
      else if (l?.state === 'sending' || l?.state === 'unknown') result.inDoubt.push(e.network);
    });
    return this.scrub(result);
  }

  async findOffer(publisher: string, code: string): Promise<OfferLookup | null> {
    const pub = this.rt.config.publishers.find((p) => p.id === publisher);
    if (!pub) return null;
    assertSees(this.scope, publisher);
    const hit = await locateOffer(this.rt, publisher, code);
    const view = hit ? await this.view(publisher, hit.key) : null;
    if (!hit || !view) return null;
    const o = hit.stored.offer;
    const channels = await Promise.all(view.channels.map(async (c) => {
      const e = this.entry(publisher, c.network);
      return channelStory(this.rt, this.inspector, e, hit.key, c, await this.accountKeys(e));
    }));
    const offer: OfferDetail = {
      ...view, channels, sourceId: o.sourceId, feedUrl: o.feedUrl, timezone: pub.timezone,
      ...(o.contract ? { contract: o.contract } : {}), ...(o.employer ? { employer: o.employer } : {}),
    };
    return this.scrub({ matchedBy: hit.matchedBy, offer, others: hit.others });
  }

  async audit(limit: number): Promise<AuditEntry[]> {
    const publishers = this.scope.publishers === '*' ? undefined : this.scope.publishers;
    return this.scrub(await this.rt.audit.latest(limit, publishers));
  }
  async recordAudit(entry: AuditEntry): Promise<void> { await this.rt.audit.record(entry); }
  async recordSignInFailure(entry: SignInFailure): Promise<void> { await this.rt.audit.recordSignInFailure(entry); }
  async signInFailures(limit: number): Promise<SignInFailure[]> {
    return isUnrestricted(this.scope) ? this.scrub(await this.rt.audit.signInFailures(limit)) : [];
  }

  async inDoubt(filter: { publisher?: string; limit?: number } = {}): Promise<InDoubtPost[]> {
    if (filter.publisher) assertSees(this.scope, filter.publisher);
    return this.scrub(await this.doubt.list((p) => this.sees(p), filter, offerCode));
  }

  async inDoubtCounts() { return this.doubt.counts((p) => this.sees(p)); }

  async markPosted(publisher: string, network: NetworkName, key: string, who: string, found?: { remoteId?: string; permalink?: string }): Promise<void> {
    assertMayAct(this.scope, publisher);
    await this.doubt.markPosted(publisher, network, key, who, found);
  }

  async markNotPosted(publisher: string, network: NetworkName, key: string, who: string): Promise<void> {
    assertMayAct(this.scope, publisher);
    await this.doubt.markNotPosted(publisher, network, key, who);
  }

  async sendAnyway(publisher: string, network: NetworkName, key: string, who: string): Promise<void> {
    assertMayAct(this.scope, publisher);
    await this.doubt.sendAnyway(publisher, network, key, who);
  }

  /** Queue depths are per network across offices, so only an unrestricted view reports them. */
  async counters(): Promise<Counters> {
    const c = await this.rt.counters.read();
    const queues: Counters['queues'] = [];
    if (isUnrestricted(this.scope)) for (const net of this.networksInUse()) queues.push({ network: net, ...(await this.inspector.counts(net)) });
    return {
      posts: c.posts.filter((p) => this.sees(p.publisher)),
      polls: c.polls.filter((p) => this.sees(p.publisher)),
      limitRefusals: c.limitRefusals.filter((p) => this.sees(p.publisher)),
      queues,
    };
  }
}
