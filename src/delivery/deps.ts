// SPDX-License-Identifier: EUPL-1.2
/** What a delivery attempt needs, injected so tests and roles can build it on real Redis. */
import type { Logger } from '../log/logger.ts';
import type { Channel, RenderedPost } from '../channels/channel.ts';
import type { AnyChannelDefinition } from '../channels/definition.ts';
import type { ChannelConfig, PublisherConfig } from '../config/schema.ts';
import type { JobOffer, NetworkName } from '../domain/offer.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { OfferStore } from '../ledger/offers.ts';
import type { SlidingWindowLimiter } from '../limits/sliding-window.ts';
import type { AccountGate } from '../limits/account-gate.ts';
import type { ChannelStates } from '../state/channel-state.ts';
import type { CounterStore } from '../state/counters.ts';
import type { DeliveryTask } from './task.ts';
import type { AttemptStore } from './attempt-store.ts';
import type { QuietRelease } from '../limits/quiet-release.ts';

export interface ChannelEntry {
  publisher: PublisherConfig;
  network: NetworkName;
  /** What the core knows of the network (can it edit, what closing does, how it counts). */
  definition: AnyChannelDefinition;
  config: ChannelConfig;
  channel: Channel;
  template: unknown;
  /** Set when this process started without the channel's credentials: `channel` then refuses every call. */
  credentials?: 'not-loaded';
}

export interface ChannelBook {
  get(publisher: string, network: NetworkName): ChannelEntry | undefined;
  all(): ChannelEntry[];
}

/** The formatting functions delivery uses (src/format), passed in so the seam stays explicit. */
export interface Formatter {
  renderPost(offer: JobOffer, publisher: PublisherConfig, network: NetworkName, template: unknown): { post: RenderedPost; shortened: string[]; length: number; limit?: number };
  renderDigest(count: number, publisher: PublisherConfig, network: NetworkName, link: string, at?: number): RenderedPost;
  closedText(text: string, network: NetworkName): string;
  quietUntil(nowMs: number, quiet: { from: string; to: string } | undefined, timezone: string): number | null;
  lastQuietEnd(nowMs: number, quiet: { from: string; to: string } | undefined, timezone: string): number | null;
  isExpired(validThrough: string | undefined, nowMs: number): boolean;
}

export interface DeliveryDeps {
  book: ChannelBook;
  ledger: Ledger;
  offers: OfferStore;
  limiter: SlidingWindowLimiter;
  gate: AccountGate;
  channels: ChannelStates;
  counters: CounterStore;
  /** The attempt's own three atomic steps (admit, commit, finish) over the stores above. */
  attempts: AttemptStore;
  format: Formatter;
  logger: Logger;
  now: () => number;
  postTimeoutMs: number;
  /** Where posts held by quiet hours take their turn after the end (absent: they all go at the end). */
  quiet?: QuietRelease;
  /**
   * Tests only: runs between an attempt's admit and its commit, to stall it there (the fence's test,
   * test/integration/fence.test.ts). Production leaves it unset.
   */
  beforeCommit?: (task: DeliveryTask) => void | Promise<void>;
  /** Queues follow-up work (a close for a post that landed after its offer closed, an edit for a late correction). */
  enqueue: (tasks: Array<{ task: DeliveryTask; attempts: number; variant?: string; delay?: number }>) => Promise<void>;
}
