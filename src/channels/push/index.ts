// SPDX-License-Identifier: EUPL-1.2
/**
 * The office's web app and its notifications as the core sees them: a channel whose posts go to the
 * outboxes of the subscriptions they match, a duty that sends those outboxes (grouped), and the app's
 * public pages. Heavy parts (web-push, the pages) load when first used.
 */
import { defineChannel } from '../definition.ts';
import type { ChannelServices } from '../definition.ts';
import type { Duty } from '../../duties/duty.ts';
import { pushSchema, type PushConfig } from './config.ts';
import { pushAccount } from './account.ts';
import { APP_PREFIX } from './urls.ts';

/** Title and body of a notification are short; this bounds the template's text too. */
export const PUSH_LIMIT = 1000;

function senderDuty(services: ChannelServices): Duty {
  const configs = services.config.publishers.map((p) => p.channels.push as PushConfig | undefined).filter((c): c is PushConfig => c !== undefined);
  return {
    name: 'push-sender',
    intervalMs: Math.min(...configs.map((c) => c.flushEvery), 60_000),
    async run(ctx) {
      const [{ sendPass }, { makeSender }, { appWords, noticeWords }] = await Promise.all([import('./sender.ts'), import('./send.ts'), import('./words.ts')]);
      const timeoutMs = services.config.worker.postTimeout;
      return sendPass({ services, words: noticeWords(await appWords()), senderFor: (_pub, cfg) => makeSender(cfg, { timeoutMs, now: services.now }), signal: ctx.signal });
    },
  };
}

export const push = defineChannel<PushConfig>({
  id: 'push',
  label: 'App',
  configSchema: pushSchema,
  text: {
    limit: PUSH_LIMIT,
    measure: (text) => ({ length: text.length, valid: text.trim().length > 0 && text.length <= PUSH_LIMIT }),
    linkInText: false,
  },
  resendDetectsDuplicates: false,
  // A push service keeps no history to read; the outbox is our own.
  readsPosts: 'never',
  canEdit: false,
  // The channel groups what arrives together itself (one notification per subscription and pass).
  digestPosts: false,
  // Closing takes the offer out of the outboxes it still waits in.
  closeAction: () => 'delete',
  defaultTemplate: 'push.mustache',
  describeAccount: (me) => `VAPID ${me.id} (${me.name})`,
  account: pushAccount,
  adapter: async () => { const { PushChannel } = await import('./adapter.ts'); return (cfg, ctx) => new PushChannel(cfg, ctx); },
  duties: (services) => [senderDuty(services)],
  publicRoutes: {
    prefixes: [APP_PREFIX],
    register: async (app, services) => { const { registerAppRoutes } = await import('./routes.ts'); await registerAppRoutes(app, services); },
  },
});
