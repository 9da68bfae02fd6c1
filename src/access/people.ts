// SPDX-License-Identifier: EUPL-1.2
/**
 * The people who may sign in to the dashboard, from the config: `dashboard.users` (scrypt hashes) and
 * the legacy `dashboard.username`/`password` (one admin). People from the identity provider (OIDC) are
 * not listed here: their role and offices come with their sign-in.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config, RoleName } from '../config/schema.ts';
import { DECOY_HASH, MIN_PASSWORD_LENGTH, parsePasswordHash, verifyPassword, type ParsedHash } from './password-hash.ts';
import { scopeOf, type Scope } from '../state/scope.ts';

export interface Person {
  name: string;
  role: RoleName;
  /** Publisher ids, or '*' for every publisher (always '*' for an admin). */
  publishers: '*' | readonly string[];
  /** Where the person is defined: config users, the legacy username, or the identity provider. */
  source: 'users' | 'legacy' | 'oidc';
}

export function personScope(p: Person): Scope {
  return scopeOf(p.role === 'admin' ? '*' : p.publishers, p.role !== 'viewer');
}

const sha = (s: string) => createHash('sha256').update(s, 'utf8').digest();
/** Successful checks are remembered briefly: scripts using HTTP Basic would otherwise pay scrypt on every call. */
const REMEMBER_MS = 60_000;

export class People {
  private readonly users = new Map<string, { person: Person; hash: ParsedHash }>();
  private readonly legacy?: { person: Person; user: Buffer; pass: Buffer };
  private readonly cacheKey = randomBytes(32);
  private readonly remembered = new Map<string, { person: Person; until: number }>();
  private readonly legacyPassword?: string;

  constructor(dashboard: Config['dashboard']) {
    for (const u of dashboard.users) {
      const hash = parsePasswordHash(u.passwordHash);
      if (typeof hash === 'string') throw new Error(`dashboard.users: ${u.name}: ${hash}`);
      const publishers = u.role === 'admin' || !u.publishers || u.publishers.includes('*') ? '*' : Object.freeze([...u.publishers]);
      this.users.set(u.name, { person: { name: u.name, role: u.role, publishers, source: 'users' }, hash });
    }
    if (dashboard.username !== undefined && dashboard.password !== undefined) {
      this.legacyPassword = dashboard.password;
      this.legacy = { person: { name: dashboard.username, role: 'admin', publishers: '*', source: 'legacy' }, user: sha(dashboard.username), pass: sha(dashboard.password) };
    }
  }

  /** A person defined in the config, by name (for sessions: their role is read again on every request). */
  byName(name: string): Person | undefined {
    if (this.legacy?.person.name === name) return this.legacy.person;
    return this.users.get(name)?.person;
  }

  /**
   * The person these credentials sign in, or undefined. Every call costs one scrypt (against a decoy
   * for an unknown name) plus the legacy comparison, so timing says nothing about which names exist.
   */
  async verify(name: string, password: string, now = Date.now()): Promise<Person | undefined> {
    const memo = createHmac('sha256', this.cacheKey).update(name).update('\0').update(password).digest('base64');
    const hit = this.remembered.get(memo);
    if (hit && hit.until > now) return hit.person;
    const user = this.users.get(name);
    const okHash = await verifyPassword(password, user?.hash ?? DECOY_HASH);
    let okLegacy = false;
    if (this.legacy) {
      const u = timingSafeEqual(this.legacy.user, sha(name));
      const p = timingSafeEqual(this.legacy.pass, sha(password));
      okLegacy = u && p;
    }
    const person = okLegacy ? this.legacy!.person : okHash && user ? user.person : undefined;
    if (person) {
      if (this.remembered.size > 1000) this.remembered.clear();
      this.remembered.set(memo, { person, until: now + REMEMBER_MS });
    }
    return person;
  }

  /**
   * What the audit may keep of a name typed at sign-in. Someone who types a password into the name
   * field must not find it in the log: an unknown name as long as a password is not kept, nor one that
   * contains the legacy password.
   */
  safeName(typed: string): string {
    if (!typed) return '(vuoto)';
    if (this.byName(typed)) return typed;
    if (this.legacyPassword && (typed.includes(this.legacyPassword) || (typed.length >= 4 && this.legacyPassword.includes(typed)))) return '[redacted]';
    if ([...typed].length >= MIN_PASSWORD_LENGTH) return '[redacted]';
    return typed.slice(0, 64);
  }
}
