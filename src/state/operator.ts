/**
 * What operators see and do, independent of how it is shown: `banditore status`, the dashboard and its
 * JSON API all read and act through this one service (implemented in src/state/operator-service.ts).
 * Nothing here carries a secret.
 */
import type { NetworkName } from '../domain/offer.ts';
import type { ErrorClass } from '../channels/channel.ts';
import type { Scope } from './scope.ts';

export type { Scope } from './scope.ts';

export type ChannelRunState = 'active' | 'paused';
export type PauseKind = 'auth' | 'usage-cap' | 'operator';

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
  /** Machine name: pause, resume, retry, retry-group, cancel, login, logout, bull-board, … */
  action: string;
  target: string;
  /** `denied`: refused by the person's role or offices (the dashboard answered 403). */
  result: 'ok' | 'error' | 'denied';
  detail?: string;
  /** The publisher the action touched, when it touched one: only people who see it read the entry. */
  publisher?: string;
  network?: NetworkName;
  /** How many posts the action moved (released by a resume, retried by a bulk retry). */
  count?: number;
  errorClass?: ErrorClass;
  /** How the person was signed in: password, oidc, basic, cli. */
  via?: string;
}

/** A failed sign-in, kept apart from the actions so that guessing cannot push real actions out. */
export interface SignInFailure {
  at: number;
  /** What was typed as the name, made safe (never a password typed into the name field). */
  who: string;
  /** The client's address (behind a trusted proxy: the address the proxy saw). */
  ip: string;
  /** password: wrong name or password; limited: refused by the sign-in limits; oidc: refused by the identity provider step. */
  reason: 'password' | 'limited' | 'oidc';
  /** form, basic or oidc. */
  via: string;
  detail?: string;
}

/**
 * Every implementation is a view limited to `scope` (see ./scope.ts for the rule each method follows);
 * `forScope` gives a narrower view of the same service. Unknown targets throw NotFoundError, targets
 * outside the scope OutOfScopeError.
 */
export interface OperatorService {
  /** What this view may see and do. */
  readonly scope: Scope;
  /** The same service seen through `scope` (intersected with this view's: never wider). */
  forScope(scope: Scope): OperatorService;
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
  /** Newest first: every entry for an unrestricted view, else the entries of the publishers it sees. */
  audit(limit: number): Promise<AuditEntry[]>;
  /** Any view may record (a refused attempt is recorded too). */
  recordAudit(entry: AuditEntry): Promise<void>;
  recordSignInFailure(entry: SignInFailure): Promise<void>;
  /** Newest first; only an unrestricted view reads them (others get []). */
  signInFailures(limit: number): Promise<SignInFailure[]>;
  /** Deployment-wide counters kept in Redis (every process adds to them), for GET /metrics. */
  counters(): Promise<Counters>;
}

export interface Counters {
  posts: Array<{ publisher: string; network: NetworkName; outcome: 'posted' | 'failed' | 'duplicate' | 'edited' | 'closed' | 'reconciled'; value: number }>;
  polls: Array<{ publisher: string; result: 'ok' | 'not-modified' | 'error'; value: number }>;
  limitRefusals: Array<{ publisher: string; network: NetworkName; value: number }>;
  queues: Array<{ network: NetworkName; waiting: number; delayed: number; active: number; failed: number; completed: number }>;
}
