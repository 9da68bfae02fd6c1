// SPDX-License-Identifier: EUPL-1.2
/**
 * The one interface every social network adapter implements. Adapters call their network through its
 * real SDK and translate each answer into a `PostOutcome` or a `ChannelError` with a class. They never
 * retry and never see a BullMQ job: retries and waiting belong to the queue (src/queue, src/delivery).
 */
import type { JobOffer, NetworkName } from '../domain/offer.ts';

/** What followers will see, already rendered and length-checked by src/format. */
export interface RenderedPost {
  /** Text of the post (X: the whole post including the link; Facebook: the message). */
  text: string;
  /** The offer URL (Facebook sends it as `link`; X has it inside `text`). */
  link: string;
  /**
   * The offer the post is about (absent for a digest): for channels that pick or lay out by its fields
   * (a newsletter matches each subscriber's preferences and writes its own HTML). Personal contacts are
   * already out of it (src/feeds/contacts.ts).
   */
  offer?: JobOffer;
}

export interface PostOutcome {
  remoteId: string;
  permalink: string;
  /** What the answer taught about the account's limits (headers), if anything. */
  hints?: LimitHints;
}

/** Limits learned from a network's answer headers. All times are epoch milliseconds. */
export interface LimitHints {
  /** Do not send on this account before this time (x-rate-limit-remaining reached 0, BUC usage, ...). */
  waitUntil?: number;
  /** Scope of the wait: the account, or every account of the same app. */
  scope?: 'account' | 'app';
  /** Highest usage percentage reported (Facebook usage headers), 0..100+. */
  usagePercent?: number;
  /** Raw numbers, shown to operators. */
  remaining?: number;
  limit?: number;
  resetAt?: number;
}

export type ErrorClass = 'transient' | 'rate-limited' | 'auth' | 'duplicate' | 'permanent' | 'usage-capped';
/** Every class, in the order operators read them (the most actionable first). */
export const ERROR_CLASSES: readonly ErrorClass[] = ['auth', 'rate-limited', 'transient', 'permanent', 'duplicate', 'usage-capped'];

/**
 * Why a refusal of class `auth` pauses the channel (the dashboard shows it as `paused.kind`): the token
 * was refused (`auth`), the network blocked the account for a while (`blocked`: Facebook #368), the
 * account is suspended (`suspended`: X), or the token or app lacks the permission to post
 * (`permission`: an X read-only token, an app without the access level).
 */
export type RefusalPause = 'auth' | 'blocked' | 'suspended' | 'permission';

/**
 * The `code` of a refused delete that an edit can stand in for: the network deletes only recent posts
 * (Telegram: 48 hours). Closing then marks the post closed by editing it instead (src/delivery/modify.ts).
 */
export const POST_DELETE_EXPIRED = 'delete-expired';

/**
 * A classified failure. `message` is the network's own words, already stripped of any secret.
 * `unknownOutcome` is true when the network may have committed the post (timeout, dropped connection):
 * the caller must reconcile before sending again.
 */
export class ChannelError extends Error {
  readonly errorClass: ErrorClass;
  readonly status?: number;
  readonly code?: string;
  readonly hints?: LimitHints;
  readonly unknownOutcome: boolean;
  /** For class `auth`: what kind of pause, and the operator's reason in Italian (the network's words are in `message`). */
  readonly pause?: { kind: RefusalPause; reason: string };
  /**
   * A read the account's access level does not include (X's Free tier cannot list the account's posts):
   * reconciliation cannot look, and must find out by sending the stored text again (see `ChannelDefinition.resendDetectsDuplicates`).
   */
  readonly readRefused: boolean;
  /**
   * Whether the post itself is no longer on the network (deleted by a person): `true`/`false` when the
   * adapter can tell, undefined when it cannot (then the message's words are read: src/delivery/modify.ts).
   */
  readonly gone?: boolean;
  constructor(errorClass: ErrorClass, message: string, opts: { status?: number; code?: string; hints?: LimitHints; unknownOutcome?: boolean; pause?: { kind: RefusalPause; reason: string }; readRefused?: boolean; gone?: boolean } = {}) {
    super(message);
    this.name = 'ChannelError';
    this.errorClass = errorClass;
    this.status = opts.status;
    this.code = opts.code;
    this.hints = opts.hints;
    this.unknownOutcome = opts.unknownOutcome ?? false;
    this.pause = opts.pause;
    this.readRefused = opts.readRefused ?? false;
    if (opts.gone !== undefined) this.gone = opts.gone;
  }
}

export interface AccountIdentity {
  /** Network's id of the account (X user id, Facebook Page id). */
  id: string;
  name: string;
  username?: string;
}

/** What `banditore check` reports about an account, beyond who it is (src/cli/commands/check.ts words it). */
export interface AccountReport {
  identity: AccountIdentity;
  /** The token's permission as the network states it (X: `x-access-level`), and whether it lets the account post. */
  access?: { level: string; canPost: boolean };
  /** Whether the account's recent posts can be read (reconciliation by reading); `detail` names what refused it. */
  readsPosts?: { allowed: boolean; detail?: string };
  /** A configured id that the network contradicts (Facebook: `pageId` against what GET /me answers). */
  mismatch?: { key: string; configured: string; found: string; foundName?: string };
  /**
   * Further lines of the network's own (Telegram: the channel and the bot's rights in it): a catalogue
   * key (src/i18n/*-cli.ts, prefixed with the network's id) with its parameters, and whether it is a problem.
   */
  notes?: Array<{ key: string; params: Record<string, string>; problem: boolean }>;
}

export interface Channel {
  readonly network: NetworkName;
  /** Stable, secret-free id of the account for limits and locks (X: hash of the user token; Facebook: page id). */
  readonly accountKey: string;
  /** Stable, secret-free id of the app (X: hash of appKey) so accounts of one app can share app-wide waits. */
  readonly appKey: string;
  /** Check the credentials (X GET /2/users/me; Facebook GET /me with the Page token). */
  verify(): Promise<AccountIdentity>;
  /** `banditore check`: the identity plus what the token may do (access level, reading its posts, configured ids). */
  inspect(): Promise<AccountReport>;
  post(post: RenderedPost): Promise<PostOutcome>;
  /** Facebook edits in place; X cannot edit through the API and returns false without calling it. */
  edit(remoteId: string, post: RenderedPost): Promise<boolean>;
  delete(remoteId: string): Promise<void>;
  /**
   * Reconciliation: look at the account's recent posts for one that links to `url`.
   * Returns the post or null when the network shows none. Throws ChannelError when it cannot be read
   * (with `readRefused` when the account's access level does not include the read).
   */
  findPostByUrl(url: string, opts?: { sinceMs?: number }): Promise<PostOutcome | null>;
}
