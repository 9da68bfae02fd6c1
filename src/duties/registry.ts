// SPDX-License-Identifier: EUPL-1.2
/**
 * Every background duty the service runs, one line each. A new duty is a file in this folder that
 * exports a factory taking what it needs from DutyServices, plus one line below (and a README entry).
 */
import type { Config } from '../config/schema.ts';
import type { RetentionStore } from '../ledger/retention.ts';
import type { Duty } from './duty.ts';
import { prunerDuty } from './pruner.ts';
import type { OfferCloser } from '../poller/close-offer.ts';
import { pushedExpiryDuty } from '../sources/expiry-duty.ts';
import { sweeperDuty, type SweeperServices } from './sweeper.ts';

/** The stores and settings duties may use (grow it as duties need more; the roles build it from the runtime). */
export interface DutyServices extends SweeperServices {
  config: Config;
  retention: RetentionStore;
  /** For pushed offers' expiry (src/sources/expiry-duty.ts); without it that duty is left out. */
  closer?: OfferCloser;
}

export const DUTIES: ReadonlyArray<(s: DutyServices) => Duty | undefined> = [
  (s) => prunerDuty(s),
  (s) => (s.closer ? pushedExpiryDuty({ config: s.config, offers: s.offers, closer: s.closer }) : undefined),
  (s) => sweeperDuty(s),
];

export function dutiesFor(s: DutyServices): Duty[] {
  return DUTIES.map((make) => make(s)).filter((x): x is Duty => x !== undefined);
}
