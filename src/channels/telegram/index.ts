// SPDX-License-Identifier: EUPL-1.2
/** A Telegram channel as the core sees it: its config, how it counts a message, what closing does, and its adapter. */
import { defineChannel } from '../definition.ts';
import { telegramSchema, type TelegramConfig } from './config.ts';
import { tgAccount } from './account.ts';
import { measureTelegram, TELEGRAM_LIMIT } from './text.ts';

/** Telegram lets a bot delete a message only within 48 hours of sending it. */
export const DELETE_WINDOW_MS = 48 * 3_600_000;
/** Margin before that limit: the network's clock and ours differ, and the close job may wait its turn. */
const DELETE_MARGIN_MS = 30 * 60_000;

export const telegram = defineChannel<TelegramConfig>({
  id: 'telegram',
  label: 'Telegram',
  configSchema: telegramSchema,
  text: { limit: TELEGRAM_LIMIT, measure: measureTelegram, linkInText: true },
  // Telegram has no duplicate rule (channels.md 1.4): a resend would post twice.
  resendDetectsDuplicates: false,
  // A bot cannot read its channel: a post in doubt is the operator's to decide (src/delivery/reconcile.ts).
  readsPosts: 'never',
  canEdit: true,
  digestPosts: true,
  // Within 48 hours a delete; after it (or with no known post time) an edit: a refused delete also falls back to it.
  closeAction: (cfg, post) => (cfg.closeAction === 'delete' && post?.postedAt !== undefined && post.now - post.postedAt < DELETE_WINDOW_MS - DELETE_MARGIN_MS ? 'delete' : 'edit'),
  closedPrefix: '❌ OFFERTA CHIUSA\n\n',
  defaultTemplate: 'telegram.mustache',
  describeAccount: (me) => `@${me.username ?? me.name}`,
  account: tgAccount,
  adapter: async () => { const { TelegramChannel } = await import('./adapter.ts'); return (cfg, ctx) => new TelegramChannel(cfg, ctx); },
});
