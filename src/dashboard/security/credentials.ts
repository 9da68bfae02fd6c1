/**
 * Checks the operator's username and password. Both sides are hashed first so the comparison takes the
 * same time whatever the input's length (no timing oracle for the password).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export function makeCredentialCheck(username: string, password: string) {
  const u = digest(username);
  const p = digest(password);
  return (user: string, pass: string): boolean => {
    // Evaluate both so a wrong username costs as much as a wrong password.
    const okUser = timingSafeEqual(u, digest(user));
    const okPass = timingSafeEqual(p, digest(pass));
    return okUser && okPass;
  };
}

/** Parses `Authorization: Basic ...`; undefined when absent or malformed. */
export function parseBasic(header: string | undefined): { user: string; pass: string } | undefined {
  if (!header) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const i = decoded.indexOf(':');
  if (i < 0) return undefined;
  return { user: decoded.slice(0, i), pass: decoded.slice(i + 1) };
}

/**
 * What the audit log may keep of a typed username: an operator who types the password into the
 * username field must not find it in the log.
 */
export function safeWho(typed: string, password: string): string {
  if (!typed) return '(vuoto)';
  if (typed.includes(password) || (typed.length >= 4 && password.includes(typed))) return '[redacted]';
  return typed.slice(0, 64);
}
