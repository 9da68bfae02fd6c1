// SPDX-License-Identifier: EUPL-1.2
/** Password hashes: self-describing scrypt, verified with the parameters they carry. */
import { describe, expect, it } from 'vitest';
import { scryptSync } from 'node:crypto';
import { hashPassword, parsePasswordHash, verifyPassword } from '../../../src/access/password-hash.ts';

describe('password hashes', () => {
  it('make a self-describing scrypt hash with a fresh salt that verifies only the right password', async () => {
    const a = await hashPassword('una frase lunga per entrare');
    const b = await hashPassword('una frase lunga per entrare');
    expect(a).toMatch(/^scrypt\$N=32768,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    const parsed = parsePasswordHash(a);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(await verifyPassword('una frase lunga per entrare', parsed)).toBe(true);
    expect(await verifyPassword('una frase lunga per entrarE', parsed)).toBe(false);
  });

  it('verify with the parameters written in the hash, not today\'s defaults', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const old = `scrypt$N=1024,r=4,p=2$${salt.toString('base64')}$${scryptSync('vecchia password lunga', salt, 24, { N: 1024, r: 4, p: 2 }).toString('base64')}`;
    const parsed = parsePasswordHash(old);
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(await verifyPassword('vecchia password lunga', parsed)).toBe(true);
  });

  it('refuse what is not a hash, and parameters that would cost too much', () => {
    expect(parsePasswordHash('hunter2')).toMatch(/is not a password hash/);
    expect(parsePasswordHash('scrypt$N=1000,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==')).toMatch(/power of two/);
    expect(parsePasswordHash('scrypt$N=4194304,r=8,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==')).toMatch(/power of two up to/);
    expect(parsePasswordHash('scrypt$N=16384,r=99,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA==')).toMatch(/r must be/);
  });
});
