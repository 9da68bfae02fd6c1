// SPDX-License-Identifier: EUPL-1.2
/** Runs the real `banditore` binary, as operators do. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BIN = fileURLToPath(new URL('../../bin/banditore.js', import.meta.url));

export function writeConfig(yaml: string, name = 'banditore.yaml'): string {
  const dir = mkdtempSync(join(tmpdir(), 'banditore-'));
  const file = join(dir, name);
  writeFileSync(file, yaml);
  return file;
}

export function cli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`banditore ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`)); }, timeoutMs);
    child.on('exit', (code) => { clearTimeout(t); resolve({ code, stdout, stderr }); });
  });
}

/** Starts a long-running role; output is collected for assertions. */
export function startRole(args: string[], env: Record<string, string> = {}): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  child.stderr!.on('data', (d) => { out += d; });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

/**
 * Runs the binary on a real terminal (a pty from util-linux `script`), and types `answer` once the
 * output shows `prompt`: for the commands that ask before they act.
 */
export function cliOnTerminal(args: string[], env: Record<string, string>, prompt: string, answer: string, timeoutMs = 240_000): Promise<{ code: number | null; output: string; asked: boolean }> {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, BIN, ...args].map(quote).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { env: { PATH: process.env.PATH ?? '', LOG_FORMAT: 'json', SHELL: '/bin/sh', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let asked = false;
    const onData = (d: Buffer) => {
      output += d;
      if (!asked && output.includes(prompt)) { asked = true; child.stdin.write(`${answer}\n`); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const t = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`banditore ${args.join(' ')} did not finish in ${timeoutMs} ms\n${output}`)); }, timeoutMs);
    child.on('exit', (code) => { clearTimeout(t); child.stdin.end(); resolve({ code, output, asked }); });
  });
}
