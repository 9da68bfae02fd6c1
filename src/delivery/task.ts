// SPDX-License-Identifier: EUPL-1.2
/**
 * What a delivery job asks for. Job data holds ids only: never a secret, never the text (the worker
 * renders from the stored offer so that a correction before posting is picked up).
 */
import type { NetworkName } from '../domain/offer.ts';

export type DeliveryKind = 'post' | 'edit' | 'close' | 'digest';

export interface DeliveryTask {
  kind: DeliveryKind;
  publisher: string;
  network: NetworkName;
  /** The offer's key; for a digest, the digest's own id. */
  offerKey: string;
  /** Digest only: how many offers it announces. */
  count?: number;
}

/** Deterministic job ids, so that enqueueing the same work twice is a no-op while the job exists. BullMQ ids may not contain ':'. */
export function jobIdFor(t: DeliveryTask, variant?: string): string {
  return [t.kind, t.publisher, t.network, t.offerKey, variant].filter(Boolean).join('.');
}

/** How an attempt ended, for the queue seam to translate into BullMQ's moves. */
export type DeliveryResult =
  | { kind: 'done'; note?: string }
  /** Wait without spending an attempt (limits, learned waits, quiet hours, the account busy). */
  | { kind: 'delay'; until: number; reason: string }
  /** The channel is paused: keep the job until resume. */
  | { kind: 'hold'; reason: string };

/** Retry later with backoff (spends an attempt). */
export class RetryLater extends Error {
  constructor(message: string) { super(message); this.name = 'RetryLater'; }
}

/** Final: no retry. */
export class GiveUp extends Error {
  constructor(message: string) { super(message); this.name = 'GiveUp'; }
}
