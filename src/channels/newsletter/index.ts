// SPDX-License-Identifier: EUPL-1.2
/**
 * The newsletter as the core sees it: an offer "posted" here joins the publisher's outbox, and the digest
 * duty mails the subscribers the offers that match them; the subscription pages are its public routes.
 */
import { defineChannel, type ChannelServices } from '../definition.ts';
import type { Duty, DutyContext } from '../../duties/duty.ts';
import { newsletterSchema, type NewsletterConfig } from './config.ts';
import { newsletterAccount } from './account.ts';
import { PREFIX } from './links.ts';

export const newsletter = defineChannel<NewsletterConfig>({
  id: 'newsletter',
  label: 'Newsletter',
  configSchema: newsletterSchema,
  // The rendered text is not what subscribers read (the digest lays out the offer's fields itself):
  // any non-empty text fits.
  text: { limit: 100_000, measure: (text) => ({ length: text.length, valid: text.trim().length > 0 && text.length <= 100_000 }), linkInText: false },
  // Recording an offer twice keeps its first place, and the outbox can be read: a post in doubt is found there.
  resendDetectsDuplicates: false,
  readsPosts: 'always',
  canEdit: false,
  // It groups offers itself, per subscriber.
  digestPosts: false,
  // Closing takes a not yet mailed offer out of the outbox.
  closeAction: () => 'delete',
  defaultTemplate: 'newsletter.mustache',
  describeAccount: (me, words) => words('newsletter_check_sender', { address: me.name }),
  account: newsletterAccount,
  adapter: async () => { const { NewsletterChannel } = await import('./adapter.ts'); return (cfg, ctx) => new NewsletterChannel(cfg, ctx); },
  duties: (services) => [digestDutyLazy(services)],
  audience: async (services, publisher) => { const { newsletterAudience } = await import('./audience.ts'); return newsletterAudience(services, publisher); },
  publicRoutes: {
    prefixes: [PREFIX],
    register: async (app, services) => { const { registerNewsletterPages } = await import('./pages.ts'); registerNewsletterPages(app, services); },
  },
});

/** The digest duty, its module (and nodemailer) loaded on its first pass. */
function digestDutyLazy(services: ChannelServices): Duty {
  return {
    name: 'newsletter-digest',
    intervalMs: 20_000,
    run: async (ctx: DutyContext) => { const { DigestRunner } = await import('./digest.ts'); return new DigestRunner(services).pass(ctx); },
  };
}
