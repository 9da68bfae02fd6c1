// SPDX-License-Identifier: EUPL-1.2
/** The app's notifications are sent as its VAPID key: the key's hash names the account (never the key itself). */
import { shortHash } from '../../redis/keys.ts';
import type { PushConfig } from './config.ts';

export function pushAccount(cfg: Pick<PushConfig, 'vapidPublicKey'>): { accountKey: string; appKey: string } {
  const id = shortHash(cfg.vapidPublicKey, 16);
  return { accountKey: `push-${id}`, appKey: `pushapp-${id}` };
}
