// SPDX-License-Identifier: EUPL-1.2
/**
 * Password hashes for `dashboard.users[].passwordHash`, in a self-describing format that carries its
 * parameters and salt, so a hash made today still verifies after the defaults are raised:
 *
 *   scrypt$N=32768,r=8,p=1$<salt, base64>$<hash, base64>
 *
 * scrypt (node:crypto) is memory-hard, so guessing in bulk from a leaked config is slow. Verification
 * reads the parameters from the hash and compares in constant time.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export const MIN_PASSWORD_LENGTH = 12;
const DEFAULTS = { N: 32768, r: 8, p: 1 };
const KEY_LEN = 32;
const SALT_LEN = 16;
/** Bounds on what a hash may ask for, so a config cannot make one sign-in cost seconds or gigabytes. */
const MAX = { N: 1 << 20, r: 32, p: 16 };

export interface ParsedHash { N: number; r: number; p: number; salt: Buffer; hash: Buffer }

const FORMAT = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/;

/** The parsed hash, or a reason (in English, for the config error) why it is not one. */
export function parsePasswordHash(text: string): ParsedHash | string {
  const m = FORMAT.exec(text.trim());
  if (!m) return 'is not a password hash (make one with `banditore hash-password`; the format is scrypt$N=…,r=…,p=…$salt$hash)';
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (N < 2 || (N & (N - 1)) !== 0 || N > MAX.N) return `scrypt N must be a power of two up to ${MAX.N}`;
  if (r < 1 || r > MAX.r || p < 1 || p > MAX.p) return `scrypt r must be 1–${MAX.r} and p 1–${MAX.p}`;
  const salt = Buffer.from(m[4]!, 'base64');
  const hash = Buffer.from(m[5]!, 'base64');
  if (salt.length < 8 || hash.length < 16) return 'salt or hash too short';
  return { N, r, p, salt, hash };
}

function scrypt(password: string, salt: Buffer, len: number, o: { N: number; r: number; p: number }): Promise<Buffer> {
  const opts: ScryptOptions = { N: o.N, r: o.r, p: o.p, maxmem: 256 * o.N * o.r * o.p + 1024 * 1024 };
  return new Promise((resolve, reject) => scryptCb(password.normalize('NFC'), salt, len, opts, (e, key) => (e ? reject(e) : resolve(key))));
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const hash = await scrypt(password, salt, KEY_LEN, DEFAULTS);
  return `scrypt$N=${DEFAULTS.N},r=${DEFAULTS.r},p=${DEFAULTS.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: ParsedHash): Promise<boolean> {
  const got = await scrypt(password, stored.salt, stored.hash.length, stored);
  return timingSafeEqual(got, stored.hash);
}

/** A hash that matches no password, verified for unknown names so that they cost as much as known ones. */
export const DECOY_HASH: ParsedHash = { ...DEFAULTS, salt: randomBytes(SALT_LEN), hash: randomBytes(KEY_LEN) };

export function passwordLength(password: string): number {
  return [...password].length;
}
