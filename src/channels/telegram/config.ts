// SPDX-License-Identifier: EUPL-1.2
/** `channels.telegram`: a Telegram channel, posting as a bot that is one of its administrators. */
import { z } from 'zod';
import { deliveryKeys, httpUrl, limitSchema, say, templateKeys } from '../../config/fields.ts';

/** A public channel's @username (5-32 characters) or a numeric chat id (-100… for channels). */
const CHAT = /^(@[A-Za-z][A-Za-z0-9_]{3,31}|-?\d+)$/;

export const telegramSchema = z.strictObject({
  /** The Bot API's root; grammY refuses a trailing slash, so it is taken off here. */
  apiBaseUrl: httpUrl.default('https://api.telegram.org').transform((u) => u.replace(/\/+$/, '')),
  /** From @BotFather: "<bot id>:<secret>". Not checked for shape here: `banditore check` asks Telegram (getMe). */
  botToken: z.string().min(1),
  chat: z.union([z.string(), z.number().int().transform(String)])
    .refine((v) => CHAT.test(v), say('telegram_config_chat', 'must be the channel\'s @username or its numeric id (-100…)')),
  // Telegram's Bot FAQ: about one message a second to a chat, no more than 20 a minute to a group-like chat.
  limits: z.array(limitSchema).default([{ max: 20, per: 60_000 }, { max: 1, per: 1000 }]),
  /**
   * A bot cannot read its channel's history, so a post in doubt is never looked for nor sent again on a
   * guess: `operator` (the only mode) leaves it in doubt for the operator to decide.
   */
  reconcile: z.enum(['operator']).default('operator'),
  ...deliveryKeys,
  /** `edit` marks the message "OFFERTA CHIUSA"; `delete` removes it while Telegram allows (48 hours), then edits. */
  closeAction: z.enum(['edit', 'delete']).default('edit'),
  ...templateKeys,
});

export type TelegramConfig = z.output<typeof telegramSchema>;
