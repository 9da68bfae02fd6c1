// SPDX-License-Identifier: EUPL-1.2
/**
 * What operators see and do, independent of how it is shown: `banditore status`, the dashboard and its
 * JSON API all read and act through this one service (implemented in src/state/operator-service.ts).
 * Nothing here carries a secret.
 */
import type { NetworkName } from '../domain/offer.ts';
import type { ErrorClass, RefusalPause } from '../channels/channel.ts';
import type { Scope } from './scope.ts';

export type { Scope } from './scope.ts';

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
  /** Its outcome is unknown, or it is posted without the network's id (an operator may settle it). */
  inDoubt?: boolean;
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

/**
 * Why a post is not (or not yet) on its network, in terms an operator can act on; `banditore offer`
 * words it. `until` is when it may go out (epoch ms), `since` when the state began.
 */
export interface NotPostedReason {
  kind:
    | 'skipped-first-poll' | 'in-digest' | 'expired' | 'skipped'
    | 'cancelled-by-operator' | 'withdrawn' | 'closed-in-doubt' | 'closed-expired' | 'cancelled'
    | 'held' | 'limit' | 'network-wait' | 'quiet-hours' | 'retrying' | 'waiting' | 'sending' | 'in-doubt'
    /** In doubt on a network that can be neither read nor safely resent: the operator decides. */
    | 'in-doubt-operator'
    | 'failed' | 'not-queued' | 'closed';
  until?: number;
  since?: number;
  /** The ledger's own words, when no kind says more. */
  reason?: string;
  /** For 'held': the pause that holds it. */
  pause?: { kind: PauseKind; by?: string; since?: number };
  /** For 'failed' and 'retrying': the job to retry. */
  jobId?: string;
}

/** The delivery job behind a post, as the queue holds it. */
export interface PostJob {
  id: string;
  state: 'waiting' | 'delayed' | 'active' | 'completed' | 'failed' | 'prioritized' | 'waiting-children' | 'unknown';
  attemptsMade: number;
  /** Delayed jobs: when they run. */
  runAt?: number;
  failedReason?: string;
}

export interface OfferChannelDetail extends OfferChannelView {
  attempts: number;
  /** The ledger's reason for its state (English, as stored); `why` says it for operators. */
  reason?: string;
  closedAt?: number;
  job?: PostJob;
  why?: NotPostedReason;
}

/** Everything `banditore offer` shows: the offer, where it came from, and each channel's story. */
export interface OfferDetail extends Omit<OfferView, 'channels'> {
  sourceId: string;
  feedUrl: string;
  contract?: string;
  employer?: string;
  timezone: string;
  channels: OfferChannelDetail[];
}

export interface OfferLookup {
  /** What the operator's CODE was: the office's offer code, the offer key, or the feed's id for it. */
  matchedBy: 'code' | 'key' | 'sourceId';
  offer: OfferDetail;
  /** Keys of other offers with the same office code (newest first), if any. */
  others: string[];
}

/** What "non pubblicare più" did, per channel. */
export interface CancelResult {
  /** False when the offer was already closed or cancelled: nothing changed. */
  changed: boolean;
  previousState: 'open' | 'closed' | 'cancelled';
  /** Posts that will not be sent. */
  cancelled: NetworkName[];
  /** Posts already on a network: they stay until someone closes them there. */
  staying: Array<{ network: NetworkName; remoteId?: string; permalink?: string }>;
  /** Posts whose sending is in doubt: if the network shows them later, they stay too. */
  inDoubt: NetworkName[];
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
export interface OperatorService extends DoubtActions {
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
  /** Retries every failed job of one class (of one publisher, when given); returns how many. */
  retryFailures(errorClass: ErrorClass, who: string, filter?: { publisher?: string }): Promise<number>;
  /** Stops every post of the offer not yet sent ("non pubblicare più"); posts already out stay. */
  cancelOffer(publisher: string, key: string, who: string): Promise<CancelResult>;
  /** The offer an operator names by its office code, key or source id, with each channel's story. */
  findOffer(publisher: string, code: string): Promise<OfferLookup | null>;
  /** Newest first: every entry for an unrestricted view, else the entries of the publishers it sees. */
  audit(limit: number): Promise<AuditEntry[]>;
  /** Any view may record (a refused attempt is recorded too). */
  recordAudit(entry: AuditEntry): Promise<void>;
  recordSignInFailure(entry: SignInFailure): Promise<void>;
  /** Newest first; only an unrestricted view reads them (others get []). */
  signInFailures(limit: number): Promise<SignInFailure[]>;
  /** Deployment-wide counters kept in Redis (every process adds to them), for GET /metrics. */
  counters(): Promise<Counters>;
  /** Posts in doubt of the publishers this view sees, oldest first (at most `limit`). */
  inDoubt(filter?: { publisher?: string; limit?: number }): Promise<InDoubtPost[]>;
  /** How many posts are in doubt per publisher×network this view sees (read from the index, for /metrics and the overview). */
  inDoubtCounts(): Promise<Array<{ publisher: string; network: NetworkName; value: number }>>;
}

/** A post whose outcome is unknown (the index of entries in doubt, keys.inDoubt), as operators see it. */
export interface InDoubtPost {
  publisher: string;
  network: NetworkName;
  offerKey: string;
  title: string;
  code?: string;
  /** `sending`/`unknown`: the network may or may not have it; `posted`: it has it, its id unknown. */
  state: PostState;
  /** When the entry entered doubt (epoch ms). */
  since: number;
  attempts: number;
  lastError?: string;
  /** The text that was sent (what "invia comunque" sends again). */
  text?: string;
  /** The sweeper cannot find out on this network: only an operator can settle it. */
  leftToOperator: boolean;
}

/** What an operator may say of a post in doubt, or ask for it. */
export interface DoubtActions {
  /** "Segna come pubblicato": it is on the network (with its id or address when the operator knows them). */
  markPosted(publisher: string, network: NetworkName, key: string, who: string, found?: { remoteId?: string; permalink?: string }): Promise<void>;
  /** "Segna come non pubblicato": it is not there and must not be sent; the entry becomes failed. */
  markNotPosted(publisher: string, network: NetworkName, key: string, who: string): Promise<void>;
  /** "Invia comunque": send the stored text again now, knowing it may appear twice. */
  sendAnyway(publisher: string, network: NetworkName, key: string, who: string): Promise<void>;
}

export interface Counters {
  posts: Array<{ publisher: string; network: NetworkName; outcome: 'posted' | 'failed' | 'duplicate' | 'edited' | 'closed' | 'reconciled'; value: number }>;
  polls: Array<{ publisher: string; result: 'ok' | 'not-modified' | 'error'; value: number }>;
  limitRefusals: Array<{ publisher: string; network: NetworkName; value: number }>;
  queues: Array<{ network: NetworkName; waiting: number; delayed: number; active: number; failed: number; completed: number }>;
}
