// SPDX-License-Identifier: EUPL-1.2
/** Which X account and app a config stands for: secret-free ids for limits, locks and shared waits. */
import { createHash } from 'node:crypto';
import type { TwitterConfig } from './config.ts';

const sha16 = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);

export function xAccount(cfg: Pick<TwitterConfig, 'accessToken' | 'appKey'>): { accountKey: string; appKey: string } {
  // An OAuth 1.0a user token starts with the account's numeric id ("12345-abc…"): keying on it keeps the
  // account's limit windows and waits when the token is regenerated (the usual fix after a 401).
  const userId = /^(\d+)-/.exec(cfg.accessToken)?.[1];
  return { accountKey: userId ? `x-user-${userId}` : 'x-' + sha16(cfg.accessToken), appKey: 'xapp-' + sha16(cfg.appKey) };
}
