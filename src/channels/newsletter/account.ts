// SPDX-License-Identifier: EUPL-1.2
/** Which sender a config stands for: the SMTP server and the From address, hashed (the URL may hold a password). */
import { shortHash } from '../../redis/keys.ts';
import { fromAddress, type NewsletterConfig } from './config.ts';

export function newsletterAccount(cfg: Pick<NewsletterConfig, 'from' | 'smtp'>): { accountKey: string; appKey: string } {
  let host = '';
  try { const u = new URL(cfg.smtp.url); host = `${u.hostname}:${u.port}`; } catch { /* validated at start */ }
  const id = shortHash(`${host}\n${fromAddress(cfg.from).toLowerCase()}`, 16);
  return { accountKey: 'nl-' + id, appKey: 'nlapp-' + id };
}
