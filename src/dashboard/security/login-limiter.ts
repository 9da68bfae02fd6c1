// SPDX-License-Identifier: EUPL-1.2
/**
 * Sign-in attempts limited in Redis, shared by every dashboard process: sliding windows (the same Lua
 * windows as the posting limits, src/limits/sliding-window.ts) per client address and per typed name.
 *
 *  - per client address: 5 failures a minute. One client guessing is stopped without touching anyone
 *    else, even behind one reverse proxy (with `dashboard.trustProxy`, the address is the client's own);
 *  - per person (the typed name): 10 failures in 15 minutes, from any number of addresses, so a
 *    person attacked from many addresses is still protected. It can lock that name's password sign-in
 *    for up to 15 minutes (sign-in with the identity provider is not affected).
 *
 * An attempt takes a slot in both windows BEFORE the password is checked, so parallel guesses cannot
 * slip through between a check and a count; a correct password gives the slots back. Once a window is
 * full every attempt is refused (429), even with the right password, until old failures leave it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { SlidingWindowLimiter } from '../../limits/sliding-window.ts';
import type { LimitWindow } from '../../config/schema.ts';

export interface SignInLimits { perClient: LimitWindow; perPerson: LimitWindow }

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  perClient: { max: 5, per: 60_000 },
  perPerson: { max: 10, per: 15 * 60_000 },
};

export type Attempt =
  | { ok: true; succeeded(): Promise<void> }
  | { ok: false; retryAfterSeconds: number; by: 'client' | 'person' };

const h = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 32);

export class SignInLimiter {
  constructor(private readonly windows: SlidingWindowLimiter, private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS, private readonly now: () => number = Date.now) {}

  /** Starts one attempt for this client address and typed name; refused when either window is full. */
  async begin(ip: string, typedName: string): Promise<Attempt> {
    const now = this.now();
    const member = randomBytes(6).toString('hex');
    const client = { key: `signin-ip:${h(ip)}`, windows: [this.limits.perClient] };
    const person = { key: `signin-person:${h(typedName.trim().toLowerCase())}`, windows: [this.limits.perPerson] };
    const a = await this.windows.take(client.key, client.windows, now, member);
    if (!a.ok) return { ok: false, retryAfterSeconds: seconds(a.retryAt - now), by: 'client' };
    const b = await this.windows.take(person.key, person.windows, now, member);
    if (!b.ok) {
      await this.windows.giveBack(client.key, client.windows, a.slot);
      return { ok: false, retryAfterSeconds: seconds(b.retryAt - now), by: 'person' };
    }
    return {
      ok: true,
      succeeded: async () => {
        await this.windows.giveBack(client.key, client.windows, a.slot);
        await this.windows.giveBack(person.key, person.windows, b.slot);
      },
    };
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
