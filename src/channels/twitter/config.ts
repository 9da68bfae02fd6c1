// SPDX-License-Identifier: EUPL-1.2
/** `channels.twitter`: an X account, posting through OAuth 1.0a user context. */
import { z } from 'zod';
import { deliveryKeys, httpUrl, limitSchema, modifyLimitsKey, templateKeys } from '../../config/fields.ts';

export const twitterSchema = z.strictObject({
  apiBaseUrl: httpUrl.default('https://api.x.com'),
  appKey: z.string().min(1),
  appSecret: z.string().min(1),
  accessToken: z.string().min(1),
  accessSecret: z.string().min(1),
  // X Pro tier per-user caps for POST /2/tweets, and the Free tier daily cap: the safe default.
  limits: z.array(limitSchema).default([{ max: 100, per: 15 * 60_000 }, { max: 17, per: 86_400_000 }]),
  // Deletes (closing an offer deletes its post; X cannot edit) have caps of their own on X, apart from
  // posts: DELETE /2/tweets/:id is 50 per 15 min per user on the current table, and 50 per 24 h per user
  // on the Free tier (api-contracts.md A3). Both, the safe default on any tier.
  ...modifyLimitsKey([{ max: 50, per: 15 * 60_000 }, { max: 50, per: 86_400_000 }]),
  /**
   * How a post whose outcome is unknown is found out: `read` the account's recent posts, `resend` the
   * stored text (X's duplicate answer means "posted"), or `auto`: read where the tier allows, else resend.
   */
  reconcile: z.enum(['read', 'resend', 'auto']).default('auto'),
  ...deliveryKeys,
  ...templateKeys,
});

export type TwitterConfig = z.output<typeof twitterSchema>;
