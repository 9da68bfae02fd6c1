/**
 * The networks a publisher posts to: its configured channels. The one place that answers it for the
 * poller, the closer and the background duties, so that when channels become an open set of ids (the
 * channel registry) only this function changes.
 */
import { NETWORKS, type NetworkName } from './offer.ts';

export function networksOf(pub: { channels: Partial<Record<NetworkName, unknown>> }): NetworkName[] {
  return NETWORKS.filter((n) => pub.channels[n] !== undefined);
}
