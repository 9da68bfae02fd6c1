// SPDX-License-Identifier: EUPL-1.2
/**
 * Every network Banditore can post to, in one list: the one place that names them. Everything else
 * (config schema, queues, delivery, templates, status, dashboard, `check`) asks the registry. To add a
 * network, write its folder (config, adapter, answer table, emulator, definition) and add it here.
 */
import type { NetworkName } from '../domain/offer.ts';
import type { AnyChannelDefinition, BaseChannelConfig, ChannelContext } from './definition.ts';
import type { Channel } from './channel.ts';
import { LazyChannel } from './lazy.ts';
import { twitter } from './twitter/index.ts';
import { facebook } from './facebook/index.ts';
import { telegram } from './telegram/index.ts';
import { push } from './push/index.ts';
import { newsletter } from './newsletter/index.ts';

const DEFINITIONS: readonly AnyChannelDefinition[] = [twitter, facebook, telegram, newsletter, push];

const BY_ID = new Map(DEFINITIONS.map((d) => [d.id, d]));

/** Every registered network, in registry order (which is also the order operators see them in). */
export function channelDefinitions(): readonly AnyChannelDefinition[] {
  return DEFINITIONS;
}

/** Every registered network id. */
export function networkIds(): readonly NetworkName[] {
  return DEFINITIONS.map((d) => d.id);
}

export function isNetwork(id: string): id is NetworkName {
  return BY_ID.has(id);
}

export function definitionOf(network: NetworkName): AnyChannelDefinition {
  const d = BY_ID.get(network);
  if (!d) throw new Error(`unknown network "${network}" (known: ${networkIds().join(', ')})`);
  return d;
}

/** The networks a publisher has configured, in registry order. */
export function configuredNetworks(pub: { channels: Readonly<Record<string, unknown>> }): NetworkName[] {
  return DEFINITIONS.filter((d) => pub.channels[d.id] !== undefined).map((d) => d.id);
}

/** The channel of one configured account; its adapter (and SDK) loads on the first network call. */
export function createChannel(network: NetworkName, cfg: BaseChannelConfig, ctx: ChannelContext): Channel {
  const d = definitionOf(network);
  const { accountKey, appKey } = d.account(cfg);
  return new LazyChannel(network, accountKey, appKey, async () => (await d.adapter())(cfg, ctx));
}
