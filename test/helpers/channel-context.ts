// SPDX-License-Identifier: EUPL-1.2
/** The context an adapter gets, for contract tests that build one channel by hand (no runtime, no services). */
import type { ChannelContext } from '../../src/channels/definition.ts';
import type { PublisherConfig } from '../../src/config/schema.ts';

export function channelContext(timeoutMs: number, publisher: Partial<PublisherConfig> = {}): ChannelContext {
  return {
    timeoutMs,
    publisher: { id: 'pescara', name: 'Provincia di Pescara', timezone: 'Europe/Rome', ...publisher } as PublisherConfig,
    services: () => { throw new Error('no channel services in this test'); },
  };
}
