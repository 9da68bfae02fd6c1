// SPDX-License-Identifier: EUPL-1.2
/** Which bot and channel a config stands for: secret-free ids for limits, locks and shared waits. */
import type { TelegramConfig } from './config.ts';

export function tgAccount(cfg: Pick<TelegramConfig, 'botToken' | 'chat'>): { accountKey: string; appKey: string } {
  // A token is "<bot id>:<secret>": the id is public and stays when the token is revoked and reissued
  // (the usual fix after a 401). Telegram's limits are per chat, so the account is the bot in that chat;
  // the bot's global limit (about 30 messages a second) is what its chats share.
  const botId = /^(\d+):/.exec(cfg.botToken)?.[1] ?? 'unknown';
  const chat = String(cfg.chat).toLowerCase().replace(/[^a-z0-9_@-]/g, '');
  return { accountKey: `tg-${botId}-${chat}`, appKey: `tgbot-${botId}` };
}
