// SPDX-License-Identifier: EUPL-1.2
/**
 * Real processes for multi-process and chaos tests: `banditore ROLE --config FILE` children with their
 * output captured (so tests can search it for secrets), the emulators in their own process (serve.ts,
 * driven over /__control/), and a private redis-server that a test may kill and restart on its data dir.
 * Nothing here is a mock: each piece is the program operators run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { callControl } from '../../../src/sandbox/emulators/http-kit.ts';

const ROOT = resolve(import.meta.dirname, '../../..');

export interface Proc {
  child: ChildProcess;
  /** Every line the process wrote (stdout and stderr). */
  output: string[];
  exited: Promise<number | null>;
  alive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

function wrap(child: ChildProcess): Proc {
  const output: string[] = [];
  let tail = '';
  const onData = (b: Buffer) => {
    const lines = (tail + b.toString('utf8')).split('\n');
    tail = lines.pop() ?? '';
    output.push(...lines);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  let done = false;
  const exited = new Promise<number | null>((r) => child.once('exit', (code, signal) => {
    done = true;
    if (tail) output.push(tail);
    output.push(`[exited: code ${code}, signal ${signal}]`);
    r(code);
  }));
  return {
    child, output, exited,
    alive: () => !done,
    async kill(signal = 'SIGKILL') {
      if (done) return;
      child.kill(signal);
      await exited;
    },
  };
}

/** Starts `node bin/banditore.js ROLE --config FILE` (or any other banditore command) with this environment. */
export function spawnBanditore(args: string[], env: Record<string, string>): Proc {
  return wrap(spawn(process.execPath, [join(ROOT, 'bin/banditore.js'), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
}

/** Runs a one-shot banditore command to its end; returns its exit code and everything it printed. */
export async function runBanditore(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const p = spawnBanditore(args, env);
  const code = await p.exited;
  return { code, output: p.output.join('\n') };
}

export interface TempDir { dir: string; write(name: string, text: string): Promise<string>; remove(): Promise<void> }

export async function tempDir(label = 'banditore'): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), `${label}-`));
  return {
    dir,
    async write(name, text) { const p = join(dir, name); await writeFile(p, text); return p; },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** Waits until the process printed a line that matches, or fails with its output. */
export async function waitForLine(p: Proc, re: RegExp, timeoutMs = 30_000): Promise<string> {
  const started = Date.now();
  for (;;) {
    const hit = p.output.find((l) => re.test(l));
    if (hit) return hit;
    if (!p.alive()) throw new Error(`process exited before printing ${re}:\n${p.output.slice(-20).join('\n')}`);
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${re}:\n${p.output.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Both emulators in their own process (src/sandbox/emulators/serve.ts), driven through /__control/. */
export interface EmulatorProcess {
  proc: Proc;
  xUrl: string;
  graphUrl: string;
  x(control: string, ...args: unknown[]): Promise<unknown>;
  graph(control: string, ...args: unknown[]): Promise<unknown>;
  stop(): Promise<void>;
}

export async function startEmulatorProcess(pages: Array<{ id: string; name: string; token: string }>): Promise<EmulatorProcess> {
  const proc = wrap(spawn(process.execPath, [join(ROOT, 'bin/run-ts.js'), 'src/sandbox/emulators/serve.ts', '--pages', JSON.stringify(pages)], {
    cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' }, stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const line = await waitForLine(proc, /^\{"x":/);
  const { x, graph } = JSON.parse(line) as { x: string; graph: string };
  return {
    proc, xUrl: x, graphUrl: graph,
    x: (c, ...a) => callControl(x, c, ...a),
    graph: (c, ...a) => callControl(graph, c, ...a),
    stop: () => proc.kill('SIGKILL'),
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolvePort(port));
    });
  });
}

/**
 * A private redis-server with AOF fsync'd on every write, so a test can kill it (SIGKILL) and start it
 * again on the same directory: what was acknowledged must still be there.
 */
export interface PrivateRedis { url: string; port: number; dir: string; start(): Promise<void>; kill(): Promise<void>; stop(): Promise<void> }

export async function privateRedis(dir: string): Promise<PrivateRedis> {
  const port = await freePort();
  let proc: Proc | undefined;
  const start = async () => {
    proc = wrap(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--appendfsync', 'always',
      '--dir', dir, '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    await waitForLine(proc, /Ready to accept connections/i, 15_000);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`, port, dir, start,
    kill: async () => { await proc?.kill('SIGKILL'); },
    stop: async () => { await proc?.kill('SIGTERM'); },
  };
}

/** The largest number of timestamps (ms) that fall within any interval of `perMs` (both ends included). */
export function maxInAnyWindow(times: number[], perMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while (t[hi]! - t[lo]! >= perMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
