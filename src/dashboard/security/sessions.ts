/**
 * Browser sessions, kept in this process's memory: a random id in an HttpOnly cookie, and a per-session
 * CSRF token that every HTML form carries. A restart logs everyone out, which is acceptable for an
 * operators' console (and keeps session data out of Redis).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface Session { id: string; user: string; csrf: string; expiresAt: number }

export const SESSION_COOKIE = 'banditore_session';
export const LOGIN_COOKIE = 'banditore_login';
const TTL_MS = 8 * 3_600_000;

export const randomToken = () => randomBytes(32).toString('base64url');

export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  create(user: string): Session {
    this.sweep();
    const s: Session = { id: randomToken(), user, csrf: randomToken(), expiresAt: Date.now() + TTL_MS };
    this.sessions.set(s.id, s);
    return s;
  }

  get(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expiresAt < Date.now()) { this.sessions.delete(id); return undefined; }
    return s;
  }

  destroy(id: string | undefined): void { if (id) this.sessions.delete(id); }

  private sweep(): void {
    const now = Date.now();
    for (const [id, s] of this.sessions) if (s.expiresAt < now) this.sessions.delete(id);
  }
}
