// SPDX-License-Identifier: EUPL-1.2
/** A Facebook Page as the core sees it: its config, how it counts a post, what closing does, and its adapter. */
import { defineChannel } from '../definition.ts';
import { facebookSchema, type FacebookConfig } from './config.ts';
import { fbAccount } from './account.ts';

/** Characters (UTF-16 units, the stricter reading) a Page post may hold. */
export const FACEBOOK_LIMIT = 63_206;

export const facebook = defineChannel<FacebookConfig>({
  id: 'facebook',
  label: 'Facebook',
  configSchema: facebookSchema,
  text: {
    limit: FACEBOOK_LIMIT,
    measure: (text) => ({ length: text.length, valid: text.trim().length > 0 && text.length <= FACEBOOK_LIMIT }),
    // The link goes beside the message, as the post's link card.
    linkInText: false,
  },
  resendDetectsDuplicates: false,
  readsPosts: 'always',
  canEdit: true,
  digestPosts: true,
  closeAction: (cfg) => cfg.closeAction,
  defaultTemplate: 'facebook.mustache',
  describeAccount: (me, words) => words('check_page', { name: me.name }),
  account: fbAccount,
  adapter: async () => { const { FacebookChannel } = await import('./adapter.ts'); return (cfg, ctx) => new FacebookChannel(cfg, ctx); },
});
