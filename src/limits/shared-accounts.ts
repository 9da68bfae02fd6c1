// SPDX-License-Identifier: EUPL-1.2
/**
 * Publishers that post through one account (the same X user, the same Facebook Page) share that
 * account's limit windows in Redis: the windows are keyed by the account and by what each window is
 * (`max` per `per`, src/redis/keys.ts). Two such channels with different `limits` would each count
 * only their own windows and together exceed either, so they are a config error at start.
 */
import { ConfigError } from '../config/load.ts';
import { formatDuration } from '../config/duration.ts';
import type { LimitWindow } from '../config/schema.ts';

/** What the check needs of a channel of the book (src/delivery/deps.ts ChannelEntry). */
export interface AccountUse {
  publisher: { id: string };
  network: string;
  config: { limits: readonly LimitWindow[]; modifyLimits?: readonly LimitWindow[] };
  channel: { accountKey: string };
}

/** The windows as a set: the same windows in another order are the same limits. */
function signature(limits: readonly LimitWindow[]): string {
  return [...new Set(limits.map((w) => `${w.max}/${w.per}`))].sort().join(',');
}

function describe(limits: readonly LimitWindow[]): string {
  return limits.length ? limits.map((w) => `${w.max} ogni ${formatDuration(w.per)}`).join(', ') : 'nessun limite';
}

export function checkSharedAccounts(config: { publishers: readonly { id: string }[] }, uses: readonly AccountUse[]): void {
  const first = new Map<string, AccountUse>();
  const where = (u: AccountUse) => `publishers[${config.publishers.findIndex((p) => p.id === u.publisher.id)}].channels.${u.network}.limits`;
  for (const u of uses) {
    const seen = first.get(u.channel.accountKey);
    if (!seen) { first.set(u.channel.accountKey, u); continue; }
    if (signature(seen.config.limits) === signature(u.config.limits)) {
      // Edits and deletes share the account's windows too.
      if (signature(seen.config.modifyLimits ?? seen.config.limits) === signature(u.config.modifyLimits ?? u.config.limits)) continue;
      const mod = (x: AccountUse) => x.config.modifyLimits ?? x.config.limits;
      throw new ConfigError(`${where(seen).replace(/limits$/, 'modifyLimits')} e ${where(u).replace(/limits$/, 'modifyLimits')}: "${seen.publisher.id}" e "${u.publisher.id}" pubblicano sullo stesso account ` +
        `(${u.channel.accountKey}) con limiti di modifica diversi (${describe(mod(seen))} / ${describe(mod(u))}). ` +
        'Un account ha una sola serie di finestre: scrivete gli stessi modifyLimits in entrambi.');
    }
    throw new ConfigError(`${where(seen)} e ${where(u)}: "${seen.publisher.id}" e "${u.publisher.id}" pubblicano sullo stesso account ` +
      `(${u.channel.accountKey}) con limiti diversi (${describe(seen.config.limits)} / ${describe(u.config.limits)}). ` +
      'Un account ha una sola serie di finestre: scrivete gli stessi limits in entrambi.');
  }
}
