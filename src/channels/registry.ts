/**
 * The one place that turns a channel's config into its adapter, so nothing else imports an SDK.
 */
import type { NetworkName } from '../domain/offer.ts';
import type { FacebookConfig, TwitterConfig } from '../config/schema.ts';
import type { Channel } from './channel.ts';
import { TwitterChannel } from './twitter/adapter.ts';
import { FacebookChannel } from './facebook/adapter.ts';

export function createChannel(network: NetworkName, cfg: TwitterConfig | FacebookConfig, opts: { timeoutMs: number }): Channel {
  switch (network) {
    case 'twitter':
      if (!('accessToken' in cfg)) throw new Error('twitter channel needs a twitter config');
      return new TwitterChannel(cfg, opts);
    case 'facebook':
      if (!('pageAccessToken' in cfg)) throw new Error('facebook channel needs a facebook config');
      return new FacebookChannel(cfg, opts);
  }
}
