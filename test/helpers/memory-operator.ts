/**
 * An in-memory OperatorService for dashboard tests: a test double of OUR interface (Redis, BullMQ and
 * the SDKs are never faked). Seed it with channels, feeds, offers, failures and audit entries; its
 * actions change that state the way the real service would, so tests assert on what the pages show.
 */
import type { AuditEntry, CancelResult, ChannelStatus, Counters, FailureItem, FeedStatus, OfferLookup, OfferQuery, OfferView, OperatorService, StatusReport } from '../../src/state/operator.ts';
import type { ErrorClass } from '../../src/channels/channel.ts';
import type { NetworkName } from '../../src/domain/offer.ts';

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

export class MemoryOperator implements OperatorService {
  channels: ChannelStatus[];
  feeds: FeedStatus[];
  offers: OfferView[];
  failed: Array<FailureItem & { errorClass: ErrorClass }>;
  auditLog: AuditEntry[];
  countersData: Counters;

  constructor(seed: MemorySeed = {}) {
    this.channels = structuredClone(seed.channels ?? []);
    this.feeds = structuredClone(seed.feeds ?? []);
    this.offers = structuredClone(seed.offers ?? []);
    this.failed = structuredClone(seed.failures ?? []);
    this.auditLog = structuredClone(seed.audit ?? []);
    this.countersData = structuredClone(seed.counters ?? { posts: [], polls: [], limitRefusals: [], queues: [] });
  }

  private channelOf(publisher: string, network: NetworkName): ChannelStatus {
    const ch = this.channels.find((c) => c.publisher === publisher && c.network === network);
    if (!ch) throw new Error(`channel ${publisher}/${network} not found`);
    return ch;
  }

  async status(): Promise<StatusReport> {
    return structuredClone({ generatedAt: Date.now(), channels: this.channels, feeds: this.feeds });
  }

  async listOffers(q: OfferQuery) {
    const s = q.search?.toLowerCase();
    const hits = this.offers.filter((o) =>
      (!s || o.title.toLowerCase().includes(s) || (o.code ?? '').toLowerCase().includes(s))
      && (!q.publisher || o.publisher === q.publisher)
      && (!q.network || o.channels.some((c) => c.network === q.network && (!q.state || c.state === q.state)))
      && (!q.state || o.channels.some((c) => c.state === q.state)));
    const offset = q.offset ?? 0;
    return { total: hits.length, offers: structuredClone(hits.slice(offset, offset + (q.limit ?? 100))) };
  }

  async getOffer(publisher: string, key: string) {
    const o = this.offers.find((x) => x.publisher === publisher && x.key === key);
    return o ? structuredClone(o) : null;
  }

  async recentPosts(limit: number) {
    const posts = this.offers.flatMap((o) => o.channels.filter((c) => c.state === 'posted' && c.postedAt !== undefined).map((c) => ({
      publisher: o.publisher, network: c.network, offerKey: o.key, title: o.title, postedAt: c.postedAt!,
      ...(o.code ? { code: o.code } : {}), ...(c.permalink ? { permalink: c.permalink } : {}),
    })));
    return posts.sort((a, b) => b.postedAt - a.postedAt).slice(0, limit);
  }

  async failures() {
    const out: Partial<Record<ErrorClass, FailureItem[]>> = {};
    for (const { errorClass, ...item } of this.failed) (out[errorClass] ??= []).push(item);
    return out;
  }

  async pause(publisher: string, network: NetworkName, who: string) {
    const ch = this.channelOf(publisher, network);
    ch.state = 'paused';
    ch.paused = { kind: 'operator', reason: 'operator', since: Date.now(), by: who };
  }

  async resume(publisher: string, network: NetworkName) {
    const ch = this.channelOf(publisher, network);
    ch.state = 'active';
    delete ch.paused;
    const released = ch.counts.held;
    ch.counts.held = 0;
    return { released };
  }

  async retryJob(jobId: string) {
    const i = this.failed.findIndex((f) => f.jobId === jobId);
    if (i < 0) throw new Error(`job ${jobId} not found`);
    const [f] = this.failed.splice(i, 1);
    const c = this.offers.find((o) => o.publisher === f!.publisher && o.key === f!.offerKey)?.channels.find((x) => x.network === f!.network);
    if (c) c.state = 'queued';
  }

  async retryFailures(errorClass: ErrorClass, _who?: string, filter: { publisher?: string } = {}) {
    const ids = this.failed.filter((f) => f.errorClass === errorClass && (!filter.publisher || f.publisher === filter.publisher)).map((f) => f.jobId);
    for (const id of ids) await this.retryJob(id);
    return ids.length;
  }

  async cancelOffer(publisher: string, key: string): Promise<CancelResult> {
    const o = this.offers.find((x) => x.publisher === publisher && x.key === key);
    if (!o) throw new Error(`offer ${publisher}/${key} not found`);
    const result: CancelResult = { changed: o.state === 'open', previousState: o.state, cancelled: [], staying: [], inDoubt: [] };
    o.state = 'cancelled';
    for (const c of o.channels) {
      if (c.state === 'posted') result.staying.push({ network: c.network, ...(c.permalink ? { permalink: c.permalink } : {}) });
      else if (c.state !== 'cancelled') { c.state = 'cancelled'; result.cancelled.push(c.network); }
    }
    this.failed = this.failed.filter((f) => !(f.publisher === publisher && f.offerKey === key));
    return result;
  }

  async findOffer(publisher: string, code: string): Promise<OfferLookup | null> {
    const o = this.offers.find((x) => x.publisher === publisher && (x.key === code || x.code === code));
    if (!o) return null;
    const channels = o.channels.map((c) => ({ ...c, attempts: 0 }));
    return structuredClone({ matchedBy: o.key === code ? 'key' : 'code', others: [], offer: { ...o, channels, sourceId: o.key, feedUrl: o.url, timezone: 'Europe/Rome' } });
  }

  async audit(limit: number) {
    return structuredClone([...this.auditLog].sort((a, b) => b.at - a.at).slice(0, limit));
  }

  async recordAudit(entry: AuditEntry) {
    this.auditLog.push(structuredClone(entry));
  }

  async counters() {
    return structuredClone(this.countersData);
  }
}
