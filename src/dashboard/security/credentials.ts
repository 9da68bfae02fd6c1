// SPDX-License-Identifier: EUPL-1.2
/** The credentials a script may send: HTTP Basic (a person) or a bearer token (the metrics token). */
import { createHash, timingSafeEqual } from 'node:crypto';

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

/** Parses `Authorization: Bearer TOKEN`; undefined when absent or malformed. */
export function parseBearer(header: string | undefined): string | undefined {
  const m = /^Bearer\s+([\x21-\x7e]+)\s*$/i.exec(header ?? '');
  return m?.[1];
}

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/** Compares a sent token with the configured one in constant time (both hashed first: any length). */
export function sameSecret(sent: string, expected: string): boolean {
  return timingSafeEqual(digest(sent), digest(expected));
}
