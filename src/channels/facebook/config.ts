// SPDX-License-Identifier: EUPL-1.2
/** `channels.facebook`: a Facebook Page, posting with its Page access token. */
import { z } from 'zod';
import { deliveryKeys, httpUrl, limitSchema, modifyLimitsKey, say, templateKeys } from '../../config/fields.ts';

export const facebookSchema = z.strictObject({
  graphBaseUrl: httpUrl.default('https://graph.facebook.com'),
  pageId: z.union([z.string().refine((v) => /^\d+$/.test(v), say('config_pageId', 'must be the numeric Page id')), z.number().int().positive().transform(String)]),
  pageAccessToken: z.string().min(1),
  /** Facebook app id, when known: Pages of one app share its app-wide limit (code 4). */
  appId: z.string().regex(/^\d+$/).optional(),
  limits: z.array(limitSchema).default([{ max: 25, per: 3_600_000 }]),
  // Edits and deletes of Page posts have no quota of their own: they share the Page's call budget (BUC,
  // "4800 calls per hour × engaged users", api-contracts.md) with posts. That budget is far above what we
  // spend; what we guard against is a burst that looks like abuse (#368), so modifications get the same
  // pace as posts, 25 an hour, in windows of their own: a night of closings never delays the day's posts,
  // and together they stay a hundred times below the Page's budget for a single engaged user.
  ...modifyLimitsKey([{ max: 25, per: 3_600_000 }]),
  /** Facebook can always read the Page's posts: `read` and `auto` both read. `resend` could post twice (#506 only refuses a message right after itself). */
  reconcile: z.enum(['read', 'resend', 'auto'])
    .refine((v) => v !== 'resend', 'resend is not safe on Facebook (it refuses a repeated message only right after the same one, so a resend could post twice): use read or auto')
    .default('auto'),
  ...deliveryKeys,
  /** What closing an offer does to its Facebook post. */
  closeAction: z.enum(['edit', 'delete']).default('edit'),
  ...templateKeys,
});

export type FacebookConfig = z.output<typeof facebookSchema>;
