// SPDX-License-Identifier: EUPL-1.2
/**
 * What the core knows of a network: one `ChannelDefinition` per folder under src/channels/, listed once in
 * src/channels/registry.ts. Queues, the ledger, limits, pause/resume, status, metrics, templates, the
 * dashboard and `check` read these facts instead of naming networks, so adding a network is its folder
 * plus one line in the registry.
 */
import type { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { LimitWindow } from '../config/fields.ts';
import type { Config, PublisherConfig } from '../config/schema.ts';
import type { JobOffer } from '../domain/offer.ts';
import type { RedisClient } from '../redis/connection.ts';
import type { Keys } from '../redis/keys.ts';
import type { Logger } from '../log/logger.ts';
import type { Duty } from '../duties/duty.ts';
import type { AccountIdentity, Channel } from './channel.ts';

/** The keys every channel's config has, whatever else its network needs. */
export interface BaseChannelConfig {
  limits: LimitWindow[];
  /** The windows edits and deletes spend (`modifyLimitsKey` in src/config/fields.ts); absent: they spend `limits`. */
  modifyLimits?: LimitWindow[];
  attempts: number;
  backoff: { initial: number; factor: number; max: number };
  template?: string;
  templateFile?: string;
  hashtags?: string[];
  /** How a post whose outcome is unknown is found out (the network's schema says which modes it offers). */
  reconcile?: string;
}

/** How a network counts a post, and how long it may be. */
export interface TextRules {
  /** The largest length the network accepts, in its own unit. */
  readonly limit: number;
  /** The length the network will count for `text`, and whether it would accept it. */
  measure(text: string): { length: number; valid: boolean };
  /** The link travels inside the text (X) rather than beside it as a card (Facebook). */
  readonly linkInText: boolean;
}

/** What an adapter gets besides its own config. */
export interface ChannelContext {
  /** How long one network call may take before its outcome counts as unknown. */
  timeoutMs: number;
  /** The publisher the channel posts for. */
  publisher: PublisherConfig;
  /**
   * The deployment's services, for channels that keep state of their own (subscribers, an outbox): ready
   * by the time the adapter is first used (adapters load on the first network call).
   */
  services: () => ChannelServices;
}

/**
 * What a channel's adapter, background duties and public pages may use, built once per process by the
 * runtime. Channels never import the stores above them (ledger, delivery, dashboard): what they need of
 * the service comes through here.
 */
export interface ChannelServices {
  config: Config;
  /** The stores' connection (auto-pipelined); every key under `keys.prefix`, e.g. `keys.channelData(...)`. */
  redis: RedisClient;
  keys: Keys;
  logger: Logger;
  now: () => number;
  /** The offers as the service stores them, read-only: what a digest or a public page may show. */
  offers: StoredOffers;
  /** The public URL of the dashboard process (`dashboard.publicUrl`), for links in messages and pages. */
  publicUrl?: string;
}

/** Read-only access to stored offers (src/ledger/offers.ts implements it). */
export interface StoredOffers {
  get(publisher: string, key: string): Promise<{ offer: JobOffer; state: 'open' | 'closed' | 'cancelled'; firstSeenAt: number } | null>;
  /** The publisher's newest offers (by first sighting), open ones only, at most `limit`. */
  latestOpen(publisher: string, limit: number): Promise<JobOffer[]>;
}

/** What operators see of a channel that reaches people one by one: how many receive it, and its latest sends. */
export interface AudienceSummary {
  /** People who receive the channel's messages now (a newsletter's confirmed subscribers). */
  followers: number;
  /** The latest sends (digests), newest first. */
  latest: Array<{ label: string; startedAt: number; finishedAt?: number; sent: number; doubt: number; refused: number; failed: number }>;
}

/** Pages and endpoints a channel serves to the public from the dashboard process, without sign-in. */
export interface PublicRoutes {
  /** Path prefixes left open by the dashboard's access rules ('/iscriviti/'); each starts and ends with '/'. */
  readonly prefixes: readonly string[];
  /**
   * Registers the routes. They are the channel's own to protect: no session, no CSRF token of the
   * dashboard's (a subscription form carries its own token; RFC 8058 one-click POSTs carry none).
   */
  register(app: FastifyInstance, services: ChannelServices): Promise<void> | void;
}

export interface ChannelDefinition<C extends BaseChannelConfig = BaseChannelConfig> {
  /** The config key under `publishers[].channels`, the queue's name and the ledger's network: `[a-z][a-z0-9]*`. */
  readonly id: string;
  /** The network's name as operators know it ("X", "Facebook"). */
  readonly label: string;
  /** Its config, validated once at start (a strict object: unknown keys are errors). */
  readonly configSchema: z.ZodType<C>;
  readonly text: TextRules;
  /**
   * Sending the same text again is safe because the network refuses a repeat from the same account and
   * says so (X's 403 "duplicate content"): a post in doubt may then be reconciled by resending it
   * (`reconcile: resend | auto`). Facebook refuses a repeat only right after itself (#506): false.
   */
  readonly resendDetectsDuplicates: boolean;
  /**
   * Whether reconciliation can look for a post on the network: `always` (Facebook reads its Page),
   * `by-tier` (X: only tiers above Free read timelines; learned from the answers), or `never` (a Telegram
   * bot cannot read its channel). Where it can never look and cannot resend safely, a post left in doubt
   * is the operator's to decide, never a guess.
   */
  readonly readsPosts: 'always' | 'by-tier' | 'never';
  /** A correction can edit the post in place (otherwise a change never posts the offer again). */
  readonly canEdit: boolean;
  /**
   * When one poll brings more than `publishers[].digest.over` new offers, this network gets one digest
   * post instead of a flood (social networks); false for channels that group offers themselves.
   */
  readonly digestPosts: boolean;
  /**
   * What closing an offer does to its post on this network; `post` says when it was posted, for networks
   * that delete only recent posts (a delete they refuse as too old is done as an edit: POST_DELETE_EXPIRED).
   */
  closeAction(cfg: C, post?: { postedAt?: number; now: number }): 'edit' | 'delete';
  /**
   * What an edit puts on top of a closed offer's post (followers read it, in the offices' Italian like
   * the templates); absent: the common "❌ Offerta chiusa – " (src/format/digest.ts).
   */
  readonly closedPrefix?: string;
  /** Default template, a file name in config/templates/. */
  readonly defaultTemplate: string;
  /**
   * How `check` names the account it found ("@ufficio", 'Pagina "Provincia di Pescara"'); `words` reads the
   * operator's catalogue (src/i18n) so the network's folder never holds the words of one language.
   */
  describeAccount(me: AccountIdentity, words: (key: string, params: Record<string, string>) => string): string;
  /**
   * Stable, secret-free ids of the account (limits, the one-request-in-flight lock, learned waits) and of
   * its app (waits an app shares), from the config alone: two publishers with the same account share them.
   */
  account(cfg: C): { accountKey: string; appKey: string };
  /**
   * Loads the adapter over the network's real SDK (on first use: SDKs are heavy to import). The adapter
   * never retries and never sees a queue job.
   */
  adapter(): Promise<(cfg: C, ctx: ChannelContext) => Channel>;
  /** Background duties of the network (a digest sender), run like every duty (src/duties/): once per interval across the deployment. */
  duties?(services: ChannelServices): Duty[];
  /** Public pages of the network (a subscription form, an app), served by the dashboard process. */
  readonly publicRoutes?: PublicRoutes;
  /** Its audience for the dashboard's overview (channels whose followers are kept by Banditore). */
  audience?(services: ChannelServices, publisher: string): Promise<AudienceSummary>;
}

/** A definition whose config type is erased, as the registry holds them. */
export type AnyChannelDefinition = ChannelDefinition<BaseChannelConfig>;

/** Keeps the config type of a definition checked where it is written, erased where it is listed. */
export function defineChannel<C extends BaseChannelConfig>(d: ChannelDefinition<C>): AnyChannelDefinition {
  return d as unknown as AnyChannelDefinition;
}
