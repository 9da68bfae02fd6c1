// SPDX-License-Identifier: EUPL-1.2
/**
 * Browser sessions, kept in Redis so that every dashboard process shares them: a restart logs nobody
 * out, two dashboards behind a balancer need no sticky sessions, and a logout (one DEL) ends the session
 * on every process at once.
 *
 * The cookie holds a random 256-bit id and nothing else; Redis holds the record under the id's sha256
 * (reading the keys does not give anyone a usable cookie). Why not @fastify/session: its Redis stores
 * (connect-redis) need express-session or node-redis (and v10 Node 22), it signs the cookie with a
 * secret that every process would have to share (a new secret in every config, for an id that is
 * already unguessable), and it has no absolute lifetime. What it would give beyond that is the cookie
 * handling @fastify/cookie already does.
 *
 * Two lifetimes: the idle one is the key's TTL, pushed forward by every request (GETEX), and the
 * absolute one (`expiresAt`, sign-in + sessionMaxAge) caps it. Each session has its CSRF token, which
 * every form carries.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RedisClient } from '../../redis/connection.ts';
import type { Keys } from '../../redis/keys.ts';
import type { Person } from '../../access/people.ts';

export interface Session {
  id: string;
  name: string;
  role: Person['role'];
  publishers: Person['publishers'];
  source: Person['source'];
  csrf: string;
  createdAt: number;
  /** Absolute end (createdAt + sessionMaxAge). */
  expiresAt: number;
}

export const SESSION_COOKIE = 'banditore_session';
export const LOGIN_COOKIE = 'banditore_login';

export const randomToken = () => randomBytes(32).toString('base64url');

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export const hashId = (id: string) => createHash('sha256').update(id).digest('base64url');

/** Cookie values we could have issued: anything else is not looked up. */
const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export class SessionStore {
  constructor(private readonly redis: RedisClient, private readonly keys: Keys, private readonly o: { idleMs: number; maxAgeMs: number; now: () => number }) {}

  async create(person: Person): Promise<Session> {
    const now = this.o.now();
    const s: Session = {
      id: randomToken(), name: person.name, role: person.role, publishers: person.publishers, source: person.source,
      csrf: randomToken(), createdAt: now, expiresAt: now + this.o.maxAgeMs,
    };
    const { id, ...record } = s;
    await this.redis.set(this.keys.session(hashId(id)), JSON.stringify(record), 'PX', Math.min(this.o.idleMs, this.o.maxAgeMs));
    return s;
  }

  /**
   * The live session for a cookie value, its idle time restarted (unless `touch` is false: the live
   * updates of an open page are not a person's activity); undefined when absent or ended.
   */
  async get(id: string | undefined, touch = true): Promise<Session | undefined> {
    if (!id || !ID_SHAPE.test(id)) return undefined;
    const key = this.keys.session(hashId(id));
    const raw = touch ? await this.redis.getex(key, 'PX', this.o.idleMs) : await this.redis.get(key);
    if (!raw) return undefined;
    let record: Omit<Session, 'id'>;
    try { record = JSON.parse(raw) as Omit<Session, 'id'>; } catch { await this.redis.del(key); return undefined; }
    const now = this.o.now();
    if (!(record.expiresAt > now)) { await this.redis.del(key); return undefined; }
    // Near the absolute end the idle TTL must not outlive it.
    if (touch && record.expiresAt - now < this.o.idleMs) await this.redis.pexpire(key, Math.max(1, record.expiresAt - now));
    return { id, ...record };
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id && ID_SHAPE.test(id)) await this.redis.del(this.keys.session(hashId(id)));
  }

  /** The Redis key of a session (tests read its TTL). */
  keyOf(id: string): string { return this.keys.session(hashId(id)); }
}
