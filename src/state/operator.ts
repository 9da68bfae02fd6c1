/**
 * What operators see and do, independent of how it is shown: `banditore status`, the dashboard and its
 * JSON API all read and act through this one service (implemented in src/state/operator-service.ts).
 * Nothing here carries a secret.
 */
import type { NetworkName } from '../domain/offer.ts';
import type { ErrorClass, RefusalPause } from '../channels/channel.ts';

export type ChannelRunState = 'active' | 'paused';
/** Why a channel is paused: a refusal of the network (auth, blocked, suspended, permission), the usage cap, or an operator. */
export type PauseKind = RefusalPause | 'usage-cap' | 'operator';

export interface LimitWindowStatus {
  max: number;
  perMs: number;
  used: number;
  /** Epoch ms when the next post fits in this window (now, if it fits now). */
  nextFreeAt: number;
}

export interface ChannelStatus {
  publisher: string;
  network: NetworkName;
  state: ChannelRunState;
  paused?: { kind: PauseKind; reason: string; since: number; by?: string };
  counts: { waiting: number; delayed: number; active: number; failed: number; held: number; posted: number };
  limits: LimitWindowStatus[];
  /** Wait learned from the network (429 reset, usage headers), epoch ms. */
  waitUntil?: number;
  lastError?: { errorClass: ErrorClass; message: string; at: number };
  lastPostAt?: number;
}

export interface FeedStatus {
  publisher: string;
  url: string;
  lastPollAt?: number;
  lastSuccessAt?: number;
  lastResult?: 'ok' | 'not-modified' | 'error';
  lastError?: string;
  consecutiveFailures: number;
  nextPollAt?: number;
  /** Offers found in the last successful poll, and how many of them were new. */
  lastItems?: number;
  lastNew?: number;
}

export interface StatusReport {
  generatedAt: number;
  channels: ChannelStatus[];
  feeds: FeedStatus[];
}

export type PostState = 'queued' | 'sending' | 'posted' | 'failed' | 'unknown' | 'skipped' | 'cancelled' | 'closed' | 'held';

export interface OfferChannelView {
  network: NetworkName;
  state: PostState;
  remoteId?: string;
  permalink?: string;
  postedAt?: number;
  updatedAt?: number;
  lastError?: { errorClass: ErrorClass; message: string; at: number };
  /** The post as followers see it (or will): text, link and its weighted length against the network limit. */
  preview?: { text: string; link: string; length: number; limit?: number };
}

export interface OfferView {
  publisher: string;
  key: string;
  code?: string;
  title: string;
  url: string;
  location?: string;
  validThrough?: string;
  firstSeenAt: number;
  state: 'open' | 'closed' | 'cancelled';
  channels: OfferChannelView[];
}

export interface OfferQuery {
  search?: string;
  publisher?: string;
  network?: NetworkName;
  state?: PostState;
  limit?: number;
  offset?: number;
}

export interface FailureItem {
  jobId: string;
  publisher: string;
  network: NetworkName;
  offerKey: string;
  title: string;
  message: string;
  at: number;
}

export interface AuditEntry {
  at: number;
  who: string;
  action: string;
  target: string;
  result: 'ok' | 'error';
  detail?: string;
}

export interface OperatorService {
  status(): Promise<StatusReport>;
  listOffers(q: OfferQuery): Promise<{ total: number; offers: OfferView[] }>;
  getOffer(publisher: string, key: string): Promise<OfferView | null>;
  /** Latest posts across all publishers, newest first. */
  recentPosts(limit: number): Promise<Array<{ publisher: string; network: NetworkName; offerKey: string; title: string; code?: string; permalink?: string; postedAt: number }>>;
  /** Failed jobs grouped by error class. */
  failures(): Promise<Partial<Record<ErrorClass, FailureItem[]>>>;
  pause(publisher: string, network: NetworkName, who: string): Promise<void>;
  resume(publisher: string, network: NetworkName, who: string): Promise<{ released: number }>;
  retryJob(jobId: string, who: string): Promise<void>;
  /** Retries every failed job of one class; returns how many. */
  retryFailures(errorClass: ErrorClass, who: string): Promise<number>;
  cancelOffer(publisher: string, key: string, who: string): Promise<void>;
  audit(limit: number): Promise<AuditEntry[]>;
  recordAudit(entry: AuditEntry): Promise<void>;
  /** Deployment-wide counters kept in Redis (every process adds to them), for GET /metrics. */
  counters(): Promise<Counters>;
}

export interface Counters {
  posts: Array<{ publisher: string; network: NetworkName; outcome: 'posted' | 'failed' | 'duplicate' | 'edited' | 'closed' | 'reconciled'; value: number }>;
  polls: Array<{ publisher: string; result: 'ok' | 'not-modified' | 'error'; value: number }>;
  limitRefusals: Array<{ publisher: string; network: NetworkName; value: number }>;
  queues: Array<{ network: NetworkName; waiting: number; delayed: number; active: number; failed: number; completed: number }>;
}
