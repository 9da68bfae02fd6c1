// SPDX-License-Identifier: EUPL-1.2
/** `banditore hash-password`, as operators run it: a password on standard input, one hash line out. */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { BIN } from '../helpers/cli.ts';
import { parsePasswordHash, verifyPassword } from '../../src/access/password-hash.ts';

function run(input: string, args: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'hash-password', ...args], { env: { PATH: process.env.PATH ?? '' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('banditore hash-password', () => {
  it('reads a password from a pipe and prints one line: a hash that verifies it', async () => {
    const r = await run('una frase lunga per entrare\n');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(r.stdout).not.toContain('una frase');
    const parsed = parsePasswordHash(r.stdout.trim());
    if (typeof parsed === 'string') throw new Error(parsed);
    expect(await verifyPassword('una frase lunga per entrare', parsed)).toBe(true);
  });

  it('refuses a password shorter than 12 characters, in Italian, with exit code 2 and no hash', async () => {
    const r = await run('corta-11ch\n');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('password troppo corta (10 caratteri): ne servono almeno 12');
    // Characters, not bytes: 12 accented letters are long enough.
    expect((await run('àèìòùàèìòùàè')).code).toBe(0);
  });

  it('never takes the password as an argument (it would stay in the shell history)', async () => {
    const r = await run('', ['una frase lunga per entrare']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('mai sulla riga di comando');
  });
});
