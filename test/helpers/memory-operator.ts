// SPDX-License-Identifier: EUPL-1.2
/**
 * An in-memory OperatorService for dashboard tests: a test double of OUR interface (Redis, BullMQ and
 * the SDKs are never faked). Seed it with channels, feeds, offers, failures and audit entries; its
 * actions change that state the way the real service does. The contract suite (test/operator/) runs
 * the same assertions against this double and against RedisOperatorService on real Redis, so a page
 * test that passes here describes what the real service shows.
 */
import type { InDoubtPost } from '../../src/state/operator.ts';
import type { AuditEntry, CancelResult, ChannelStatus, Counters, FailureItem, FeedStatus, OfferLookup, OfferQuery, OfferView, OperatorService, SignInFailure, StatusReport } from '../../src/state/operator.ts';
import type { ErrorClass } from '../../src/channels/channel.ts';
import type { NetworkName } from '../../src/domain/offer.ts';
import { FULL_SCOPE, NotFoundError, assertMayAct, assertSees, isUnrestricted, narrow, sees, type Scope } from '../../src/state/scope.ts';

export interface MemorySeed {
  channels?: ChannelStatus[];
  feeds?: FeedStatus[];
  offers?: OfferView[];
  failures?: Array<FailureItem & { errorClass: ErrorClass }>;
  audit?: AuditEntry[];
  counters?: Counters;
}

export function channel(publisher: string, network: NetworkName, extra: Partial<ChannelStatus> = {}): ChannelStatus {
  return {
    publisher, network, state: 'active',
    counts: { waiting: 0, delayed: 0, active: 0, failed: 0, held: 0, posted: 0 },
    limits: [{ max: 17, perMs: 86_400_000, used: 3, nextFreeAt: 0 }],
    ...extra,
  };
}

interface MemoryState {
  channels: ChannelStatus[];
  feeds: FeedStatus[];
  offers: OfferView[];
  failed: Array<FailureItem & { errorClass: ErrorClass }>;
  /** In the order recorded (the real log is newest first by insertion). */
  auditLog: AuditEntry[];
  signIns: SignInFailure[];
  counters: Counters;
}

/** Posts of a cancelled offer in these states are cancelled too (src/poller/close-offer.ts). */
const CANCELLABLE = new Set(['queued', 'held', 'failed']);

export class MemoryOperator implements OperatorService {
  private readonly st: MemoryState;
  readonly scope: Scope;

  constructor(seed: MemorySeed = {}, scope: Scope = FULL_SCOPE, shared?: MemoryState) {
    this.scope = scope;
    this.st = shared ?? {
      channels: structuredClone(seed.channels ?? []),
      feeds: structuredClone(seed.feeds ?? []),
      offers: structuredClone(seed.offers ?? []),
      failed: structuredClone(seed.failures ?? []),
      auditLog: structuredClone(seed.audit ?? []),
      signIns: [],
      counters: structuredClone(seed.counters ?? { posts: [], polls: [], limitRefusals: [], queues: [] }),
    };
  }

  // The seeded state, for tests that change it directly (every view shares it).
  get channels() { return this.st.channels; }
  get feeds() { return this.st.feeds; }
  get offers() { return this.st.offers; }
  get failed() { return this.st.failed; }
  get auditLog() { return this.st.auditLog; }

  forScope(scope: Scope): MemoryOperator {
    return new MemoryOperator({}, narrow(this.scope, scope), this.st);
  }

  private sees(publisher: string) { return sees(this.scope, publisher); }
  private rank(publisher: string) { return this.st.channels.findIndex((c) => c.publisher === publisher); }

  private channelOf(publisher: string, network: NetworkName): ChannelStatus {
    const ch = this.st.channels.find((c) => c.publisher === publisher && c.network === network);
    if (!ch) throw new NotFoundError(`not found: no ${network} channel for publisher ${publisher}`);
    return ch;
  }

  async status(): Promise<StatusReport> {
    return structuredClone({
      generatedAt: Date.now(),
      channels: this.st.channels.filter((c) => this.sees(c.publisher)),
      feeds: this.st.feeds.filter((f) => this.sees(f.publisher)),
    });
  }

  async listOffers(q: OfferQuery) {
    const s = q.search?.trim().toLowerCase();
    const hits = this.st.offers.filter((o) =>
      this.sees(o.publisher)
      && (!s || `${o.code ?? ''} ${o.title}`.toLowerCase().includes(s))
      && (!q.publisher || o.publisher === q.publisher)
      && (!q.network || o.channels.some((c) => c.network === q.network && (!q.state || c.state === q.state)))
      && (q.network || !q.state || o.channels.some((c) => c.state === q.state)))
      // As the real index is read: publisher by publisher (in config order, as the channels are), newest first.
      .sort((a, b) => this.rank(a.publisher) - this.rank(b.publisher) || b.firstSeenAt - a.firstSeenAt);
    const offset = q.offset ?? 0;
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    return { total: hits.length, offers: structuredClone(hits.slice(offset, offset + limit)) };
  }

  async getOffer(publisher: string, key: string) {
    assertSees(this.scope, publisher);
    const o = this.st.offers.find((x) => x.publisher === publisher && x.key === key);
    return o ? structuredClone(o) : null;
  }

  async recentPosts(limit: number) {
    const posts = this.st.offers.filter((o) => this.sees(o.publisher)).flatMap((o) => o.channels.filter((c) => c.state === 'posted' && c.postedAt !== undefined).map((c) => ({
      publisher: o.publisher, network: c.network, offerKey: o.key, title: o.title, postedAt: c.postedAt!,
      ...(o.code ? { code: o.code } : {}), ...(c.permalink ? { permalink: c.permalink } : {}),
    })));
    return posts.sort((a, b) => b.postedAt - a.postedAt).slice(0, limit);
  }

  async failures() {
    const out: Partial<Record<ErrorClass, FailureItem[]>> = {};
    for (const { errorClass, ...item } of this.st.failed) if (this.sees(item.publisher)) (out[errorClass] ??= []).push(structuredClone(item));
    return out;
  }

  async pause(publisher: string, network: NetworkName, who: string) {
    assertMayAct(this.scope, publisher);
    const ch = this.channelOf(publisher, network);
    if (ch.state === 'paused') return;
    ch.state = 'paused';
    ch.paused = { kind: 'operator', reason: `paused by ${who}`, since: Date.now(), by: who };
  }

  async resume(publisher: string, network: NetworkName, _who?: string) {
    assertMayAct(this.scope, publisher);
    const ch = this.channelOf(publisher, network);
    ch.state = 'active';
    delete ch.paused;
    const released = ch.counts.held;
    ch.counts.held = 0;
    return { released };
  }

  async retryJob(jobId: string, _who?: string) {
    assertMayAct(this.scope);
    const publisher = jobId.split('.')[1];
    if (!isUnrestricted(this.scope)) {
      if (!publisher) throw new NotFoundError(`not found: job ${jobId}`);
      assertMayAct(this.scope, publisher);
    }
    const i = this.st.failed.findIndex((f) => f.jobId === jobId);
    if (i < 0) throw new NotFoundError(`not found: job ${jobId}`);
    const [f] = this.st.failed.splice(i, 1);
    // The job leaves the failed set; the post's own state stays as the ledger says until a worker takes it.
    const ch = this.st.channels.find((c) => c.publisher === f!.publisher && c.network === f!.network);
    if (ch) ch.counts.failed = Math.max(0, ch.counts.failed - 1);
  }

  async retryFailures(errorClass: ErrorClass, who?: string, filter: { publisher?: string } = {}) {
    assertMayAct(this.scope, filter.publisher);
    const ids = ((await this.failures())[errorClass] ?? []).filter((f) => !filter.publisher || f.publisher === filter.publisher).map((f) => f.jobId);
    for (const id of ids) await this.retryJob(id, who);
    return ids.length;
  }

  async cancelOffer(publisher: string, key: string, _who?: string): Promise<CancelResult> {
    assertMayAct(this.scope, publisher);
    const o = this.st.offers.find((x) => x.publisher === publisher && x.key === key);
    if (!o) throw new NotFoundError(`not found: offer ${publisher}/${key}`);
    const result: CancelResult = { changed: o.state === 'open', previousState: o.state, cancelled: [], staying: [], inDoubt: [] };
    if (o.state !== 'open') return result;
    o.state = 'cancelled';
    for (const c of o.channels) {
      if (c.state === 'posted') result.staying.push({ network: c.network, ...(c.permalink ? { permalink: c.permalink } : {}) });
      else if (c.state === 'sending' || c.state === 'unknown') result.inDoubt.push(c.network);
      else if (CANCELLABLE.has(c.state)) { c.state = 'cancelled'; result.cancelled.push(c.network); }
    }
    // Their failed jobs stay in the queue's history, but there is nothing left to retry.
    this.st.failed = this.st.failed.filter((f) => !(f.publisher === publisher && f.offerKey === key));
    return result;
  }

  async findOffer(publisher: string, code: string): Promise<OfferLookup | null> {
    assertSees(this.scope, publisher);
    const o = this.st.offers.find((x) => x.publisher === publisher && (x.key === code || x.code === code));
    if (!o) return null;
    const channels = o.channels.map((c) => ({ ...c, attempts: 0 }));
    return structuredClone({ matchedBy: o.key === code ? 'key' : 'code', others: [], offer: { ...o, channels, sourceId: o.key, feedUrl: o.url, timezone: 'Europe/Rome' } });
  }

  async audit(limit: number) {
    const visible = this.st.auditLog.filter((e) => isUnrestricted(this.scope) || (e.publisher !== undefined && this.sees(e.publisher)));
    const newestFirst = isUnrestricted(this.scope) ? [...visible].reverse() : [...visible].reverse().sort((a, b) => b.at - a.at);
    return structuredClone(newestFirst.slice(0, limit));
  }

  async recordAudit(entry: AuditEntry) {
    this.st.auditLog.push(structuredClone(entry));
  }

  async recordSignInFailure(entry: SignInFailure) {
    this.st.signIns.push(structuredClone(entry));
  }

  async signInFailures(limit: number) {
    return isUnrestricted(this.scope) ? structuredClone([...this.st.signIns].reverse().slice(0, limit)) : [];
  }

  async counters() {
    const c = this.st.counters;
    return structuredClone({
      posts: c.posts.filter((p) => this.sees(p.publisher)),
      polls: c.polls.filter((p) => this.sees(p.publisher)),
      limitRefusals: c.limitRefusals.filter((p) => this.sees(p.publisher)),
      queues: isUnrestricted(this.scope) ? c.queues : [],
    });
  }

  // Posts in doubt: the seeded offers' channels in `sending`/`unknown` (the real service reads its index).
  private doubtful(publisher?: string) {
    return this.st.offers.filter((o) => this.sees(o.publisher) && (!publisher || o.publisher === publisher))
      .flatMap((o) => o.channels.filter((c) => c.state === 'sending' || c.state === 'unknown').map((c) => ({ o, c })));
  }

  async inDoubt(filter: { publisher?: string; limit?: number } = {}): Promise<InDoubtPost[]> {
    if (filter.publisher) assertSees(this.scope, filter.publisher);
    return structuredClone(this.doubtful(filter.publisher).slice(0, filter.limit ?? 100).map(({ o, c }) => ({
      publisher: o.publisher, network: c.network, offerKey: o.key, title: o.title, ...(o.code ? { code: o.code } : {}), state: c.state,
      since: c.updatedAt ?? o.firstSeenAt, attempts: 1, ...(c.lastError ? { lastError: c.lastError.message } : {}), ...(c.preview ? { text: c.preview.text } : {}), leftToOperator: false,
    })));
  }

  async inDoubtCounts() {
    const counts = new Map<string, { publisher: string; network: NetworkName; value: number }>();
    for (const ch of this.st.channels.filter((c) => this.sees(c.publisher))) counts.set(`${ch.publisher}|${ch.network}`, { publisher: ch.publisher, network: ch.network, value: 0 });
    for (const { o, c } of this.doubtful()) { const n = counts.get(`${o.publisher}|${c.network}`); if (n) n.value++; }
    return [...counts.values()];
  }

  private postInDoubt(publisher: string, network: NetworkName, key: string, also: string[] = []) {
    assertMayAct(this.scope, publisher);
    const c = this.st.offers.find((x) => x.publisher === publisher && x.key === key)?.channels.find((x) => x.network === network);
    if (!c || !(c.state === 'sending' || c.state === 'unknown' || also.includes(c.state))) throw new NotFoundError(`not found: no post in doubt for ${publisher}/${network}/${key}`);
    return c;
  }

  async markPosted(publisher: string, network: NetworkName, key: string, _who: string, found: { remoteId?: string; permalink?: string } = {}) {
    const c = this.postInDoubt(publisher, network, key);
    c.state = 'posted';
    delete c.inDoubt;
    if (found.remoteId) c.remoteId = found.remoteId;
    if (found.permalink) c.permalink = found.permalink;
  }

  async markNotPosted(publisher: string, network: NetworkName, key: string, _who: string) {
    const c = this.postInDoubt(publisher, network, key);
    c.state = 'failed';
    delete c.inDoubt;
  }

  async sendAnyway(publisher: string, network: NetworkName, key: string, _who: string) {
    const c = this.postInDoubt(publisher, network, key, ['failed']);
    c.state = 'queued';
    delete c.inDoubt;
  }
}
