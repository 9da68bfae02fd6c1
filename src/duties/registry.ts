/**
 * Every background duty the service runs, one line each. A new duty is a file in this folder that
 * exports a factory taking what it needs from DutyServices, plus one line below (and a README entry).
 */
import type { Config } from '../config/schema.ts';
import type { RetentionStore } from '../ledger/retention.ts';
import type { Duty } from './duty.ts';
import { prunerDuty } from './pruner.ts';
import type { OfferStore } from '../ledger/offers.ts';
import type { OfferCloser } from '../poller/close-offer.ts';
import { pushedExpiryDuty } from '../sources/expiry-duty.ts';

/** The stores and settings duties may use (grow it as duties need more; the roles build it from the runtime). */
export interface DutyServices {
  config: Config;
  retention: RetentionStore;
  /** For pushed offers' expiry (src/sources/expiry-duty.ts); without them that duty is left out. */
  offers?: OfferStore;
  closer?: OfferCloser;
}

export const DUTIES: ReadonlyArray<(s: DutyServices) => Duty | undefined> = [
  (s) => prunerDuty(s),
  (s) => (s.offers && s.closer ? pushedExpiryDuty({ config: s.config, offers: s.offers, closer: s.closer }) : undefined),
];

export function dutiesFor(s: DutyServices): Duty[] {
  return DUTIES.map((make) => make(s)).filter((x): x is Duty => x !== undefined);
}
