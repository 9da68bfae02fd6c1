// SPDX-License-Identifier: EUPL-1.2
/**
 * `channels.newsletter`: an e-mail digest of the publisher's offers to its subscribers, sent over SMTP.
 * `smtp.url` may hold the password (`smtps://user:pass@host:465`): the loader scrubs a URL's password
 * from every log line, as it does for feed URLs.
 */
import { z } from 'zod';
import { deliveryKeys, httpUrl, limitSchema, say, templateKeys } from '../../config/fields.ts';
import { parseSchedule, type Schedule } from './schedule.ts';

const smtpUrl = z.string().refine((s) => {
  try { const u = new URL(s); return u.protocol === 'smtp:' || u.protocol === 'smtps:'; } catch { return false; }
}, say('newsletter_config_smtpUrl', 'must be an smtp:// or smtps:// URL'));

/** A bare address or `Name <address>`. */
const sender = z.string().trim().refine((s) => /^(?:[^<>]*<)?[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+>?$/.test(s), say('newsletter_config_from', 'must be an e-mail address, optionally as "Name <address>"'));

const schedule = z.string().transform((v, ctx): Schedule => {
  const s = parseSchedule(v);
  if (!s) {
    ctx.addIssue({ code: 'custom', ...say('newsletter_config_schedule', `"${v}" is not a schedule (write instant, "daily 08:00" or "weekly mon 08:00")`, { value: v }) });
    return z.NEVER;
  }
  return s;
});

export const newsletterSchema = z.strictObject({
  /** The sender of every message (and the mailto: of List-Unsubscribe). */
  from: sender,
  smtp: z.strictObject({ url: smtpUrl }),
  schedule: schedule.default({ kind: 'daily', hour: 8, minute: 0 }),
  /** The privacy notice the form links to. */
  privacyUrl: httpUrl,
  /** The notice's version, recorded with each consent. */
  privacyVersion: z.string().trim().min(1).max(40).default('1'),
  /** Messages per window, across the publisher's subscribers (the SMTP provider's sending limits). */
  limits: z.array(limitSchema).default([{ max: 60, per: 60_000 }]),
  ...deliveryKeys,
  ...templateKeys,
});

export type NewsletterConfig = z.output<typeof newsletterSchema>;

/** The address part of `from`. */
export function fromAddress(from: string): string {
  return (/<([^>]+)>/.exec(from)?.[1] ?? from).trim();
}
