// SPDX-License-Identifier: EUPL-1.2
/** X as the core sees it: its config, how it counts a post, what closing does, and its adapter. */
import twitterText from 'twitter-text';
import { defineChannel } from '../definition.ts';
import { twitterSchema, type TwitterConfig } from './config.ts';
import { xAccount } from './account.ts';

export const X_LIMIT = 280;

export const twitter = defineChannel<TwitterConfig>({
  id: 'twitter',
  label: 'X',
  configSchema: twitterSchema,
  text: {
    limit: X_LIMIT,
    // twitter-text's weighted length: URLs weigh 23, emoji 2, NFC normalized.
    measure: (text) => { const p = twitterText.parseTweet(text); return { length: p.weightedLength, valid: p.valid }; },
    linkInText: true,
  },
  // X cannot edit through the API: a correction never posts the offer again, and closing deletes.
  resendDetectsDuplicates: true,
  readsPosts: 'by-tier',
  canEdit: false,
  digestPosts: true,
  closeAction: () => 'delete',
  defaultTemplate: 'twitter.mustache',
  describeAccount: (me) => `@${me.username ?? me.name}`,
  account: xAccount,
  adapter: async () => { const { TwitterChannel } = await import('./adapter.ts'); return (cfg, ctx) => new TwitterChannel(cfg, ctx); },
});
