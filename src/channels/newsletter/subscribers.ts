// SPDX-License-Identifier: EUPL-1.2
/**
 * A publisher's subscribers, in Redis under `ch:newsletter:`:
 * - `sub:{pub}:{id}` hash: email (lower case), state (pending | confirmed | unsubscribed | suppressed),
 *   prefs (JSON), createdAt, confirmedAt, consent (JSON: when, notice version, the form's text, how),
 *   unsubToken (the token of the unsubscribe link every message carries: it must be written into each
 *   digest, so it is kept as it is), cursor (the outbox sequence up to which offers reached them).
 *   A pending one expires with its confirmation after 7 days.
 * - `confirmed:{pub}` set of confirmed ids (the digest's work list and the operators' count).
 * - `confirm:{pub}:{sha256(token)}` → id, for 7 days; `unsub:{pub}:{sha256(token)}` → id.
 * The id is a hash of the address, so a second form for the same address finds the first; tokens are
 * random and stored only hashed.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ChannelServices } from '../definition.ts';
import { preferencesSchema, type Preferences } from '../audience/preferences.ts';

export type SubscriberState = 'pending' | 'confirmed' | 'unsubscribed' | 'suppressed';

export interface Consent {
  /** When consent was given (the confirmation, or the imported record's time), epoch ms. */
  at: number;
  /** How: the public form with double opt-in, or an import stating its own method. */
  method: string;
  privacyVersion?: string;
  /** The words the person agreed to. */
  text?: string;
  requestedAt?: number;
}

export interface Subscriber {
  id: string;
  email: string;
  state: SubscriberState;
  prefs: Preferences;
  createdAt: number;
  confirmedAt?: number;
  consent?: Consent;
  cursor: number;
  unsubscribeToken?: string;
}

export const PENDING_TTL_MS = 7 * 24 * 3_600_000;

export const normalizeEmail = (email: string) => email.trim().toLowerCase();
export const isEmail = (email: string) => email.length <= 254 && /^[^\s@<>(),;:"\\]+@[^\s@<>(),;:"\\]+\.[a-z0-9-]{2,}$/i.test(email);

const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
const newToken = () => randomBytes(24).toString('base64url');

export class Subscribers {
  constructor(private readonly s: Pick<ChannelServices, 'redis' | 'keys' | 'now'>) {}

  key(...parts: string[]) { return this.s.keys.channelData('newsletter', ...parts); }
  private subKey(pub: string, id: string) { return this.key('sub', pub, id); }
  idOf(pub: string, email: string): string { return createHash('sha256').update(`${pub}\n${normalizeEmail(email)}`).digest('hex').slice(0, 24); }

  async get(pub: string, id: string): Promise<Subscriber | null> {
    const h = await this.s.redis.hgetall(this.subKey(pub, id));
    if (!h.email) return null;
    return {
      id, email: h.email, state: h.state as SubscriberState,
      prefs: preferencesSchema.parse(JSON.parse(h.prefs ?? '{}')),
      createdAt: Number(h.createdAt ?? 0),
      ...(h.confirmedAt ? { confirmedAt: Number(h.confirmedAt) } : {}),
      ...(h.consent ? { consent: JSON.parse(h.consent) as Consent } : {}),
      cursor: Number(h.cursor ?? 0),
      ...(h.unsubToken ? { unsubscribeToken: h.unsubToken } : {}),
    };
  }

  async byEmail(pub: string, email: string): Promise<Subscriber | null> { return this.get(pub, this.idOf(pub, email)); }

  /**
   * A form was sent: a pending subscription with its confirmation token, or null when the address must
   * not be written to (suppressed after a refusal). A pending one is renewed (new token, new
   * preferences); a confirmed one keeps receiving as it is, and its new preferences wait for the same
   * confirmation (`pendingPrefs`). The caller answers the same page either way.
   */
  async request(pub: string, email: string, prefs: Preferences, consentText: string, privacyVersion: string): Promise<{ id: string; token: string } | null> {
    const id = this.idOf(pub, email);
    const key = this.subKey(pub, id);
    const state = await this.s.redis.hget(key, 'state');
    if (state === 'suppressed') return null;
    const token = newToken();
    const now = this.s.now();
    const pending: Consent = { at: 0, method: 'form', privacyVersion, text: consentText, requestedAt: now };
    if (state === 'confirmed') {
      await this.s.redis.multi()
        .hset(key, { pendingPrefs: JSON.stringify(prefs), pendingConsent: JSON.stringify(pending) })
        .set(this.key('confirm', pub, tokenHash(token)), id, 'PX', PENDING_TTL_MS)
        .exec();
      return { id, token };
    }
    await this.s.redis.multi()
      .hset(key, { email: normalizeEmail(email), state: 'pending', prefs: JSON.stringify(prefs), createdAt: now, pendingConsent: JSON.stringify(pending) })
      .pexpire(key, PENDING_TTL_MS)
      .set(this.key('confirm', pub, tokenHash(token)), id, 'PX', PENDING_TTL_MS)
      .exec();
    return { id, token };
  }

  /** The pending subscriber a confirmation token stands for (the page with the button). */
  async pendingByToken(pub: string, token: string): Promise<Subscriber | null> {
    const id = await this.s.redis.get(this.key('confirm', pub, tokenHash(token)));
    if (!id) return null;
    const sub = await this.get(pub, id);
    if (sub?.state === 'pending') return sub;
    // A confirmed subscriber who asked for new preferences.
    return sub?.state === 'confirmed' && (await this.s.redis.hexists(this.subKey(pub, id), 'pendingPrefs')) ? sub : null;
  }

  /**
   * The button was pressed: the consent is recorded and digests start, with offers from now on
   * (`cursor` = the outbox's current sequence). Returns the new unsubscribe token, null for a token that
   * is unknown, expired or already used.
   */
  async confirm(pub: string, token: string, outboxSeq: number): Promise<{ id: string; unsubscribeToken: string } | null> {
    const confirmKey = this.key('confirm', pub, tokenHash(token));
    const id = await this.s.redis.get(confirmKey);
    if (!id) return null;
    const key = this.subKey(pub, id);
    const [state, pendingConsent, pendingPrefs, unsubToken] = await this.s.redis.hmget(key, 'state', 'pendingConsent', 'pendingPrefs', 'unsubToken');
    const now = this.s.now();
    const consent: Consent = { ...(JSON.parse(pendingConsent ?? '{}') as Consent), at: now };
    if (state === 'confirmed' && pendingPrefs && unsubToken) {
      // New preferences of someone already receiving: their cursor and unsubscribe link stay.
      const res = await this.s.redis.multi()
        .del(confirmKey)
        .hset(key, { prefs: pendingPrefs, consent: JSON.stringify(consent) })
        .hdel(key, 'pendingPrefs', 'pendingConsent')
        .exec();
      return res && res[0]?.[1] === 1 ? { id, unsubscribeToken: unsubToken } : null;
    }
    if (state !== 'pending') return null;
    const unsub = newToken();
    const res = await this.s.redis.multi()
      .del(confirmKey)
      .hset(key, { state: 'confirmed', confirmedAt: now, consent: JSON.stringify(consent), cursor: outboxSeq, unsubToken: unsub })
      .hdel(key, 'pendingConsent')
      .persist(key)
      .sadd(this.key('confirmed', pub), id)
      .set(this.key('unsub', pub, tokenHash(unsub)), id)
      .exec();
    // Two presses at once: only the one that removed the token confirmed.
    if (!res || res[0]?.[1] !== 1) return null;
    return { id, unsubscribeToken: unsub };
  }

  /** The subscriber an unsubscribe token stands for. */
  async byUnsubscribeToken(pub: string, token: string): Promise<Subscriber | null> {
    const id = await this.s.redis.get(this.key('unsub', pub, tokenHash(token)));
    return id ? this.get(pub, id) : null;
  }

  /** Stops every message at once; idempotent. */
  async unsubscribe(pub: string, id: string): Promise<void> {
    const key = this.subKey(pub, id);
    if (!(await this.s.redis.exists(key))) return;
    await this.s.redis.multi()
      .hset(key, { state: 'unsubscribed', unsubscribedAt: this.s.now() })
      .srem(this.key('confirmed', pub), id)
      .exec();
  }

  /** The server refused the address for good (5xx): it is never written to again. */
  async suppress(pub: string, id: string, reason: string): Promise<void> {
    await this.s.redis.multi()
      .hset(this.subKey(pub, id), { state: 'suppressed', suppressedAt: this.s.now(), suppressedReason: reason.slice(0, 200) })
      .srem(this.key('confirmed', pub), id)
      .exec();
  }

  async confirmedIds(pub: string): Promise<string[]> { return (await this.s.redis.smembers(this.key('confirmed', pub))).sort(); }
  async confirmedCount(pub: string): Promise<number> { return this.s.redis.scard(this.key('confirmed', pub)); }

  /**
   * An imported subscriber whose consent was given elsewhere (the CSV states when and how): confirmed at
   * once. An address already present keeps its record (an import never resubscribes someone who left).
   */
  async importConfirmed(pub: string, email: string, prefs: Preferences, consent: Consent, outboxSeq: number): Promise<boolean> {
    const id = this.idOf(pub, email);
    const key = this.subKey(pub, id);
    const state = await this.s.redis.hget(key, 'state');
    if (state && state !== 'pending') return false;
    const unsub = newToken();
    await this.s.redis.multi()
      .hset(key, { email: normalizeEmail(email), state: 'confirmed', prefs: JSON.stringify(prefs), createdAt: this.s.now(), confirmedAt: consent.at, consent: JSON.stringify(consent), cursor: outboxSeq, unsubToken: unsub })
      .persist(key)
      .sadd(this.key('confirmed', pub), id)
      .set(this.key('unsub', pub, tokenHash(unsub)), id)
      .exec();
    return true;
  }

  /** Every stored subscriber of a publisher (export, GDPR requests), by SCAN. */
  async all(pub: string): Promise<Subscriber[]> {
    const out: Subscriber[] = [];
    const pattern = this.subKey(pub, '*');
    let cursor = '0';
    do {
      const [next, keys] = await this.s.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      for (const k of keys) {
        const sub = await this.get(pub, k.slice(k.lastIndexOf(':') + 1));
        if (sub) out.push(sub);
      }
    } while (cursor !== '0');
    return out.sort((a, b) => a.email.localeCompare(b.email));
  }
}
