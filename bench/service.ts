// SPDX-License-Identifier: EUPL-1.2
/**
 * The service under test as operators run it: `node bin/banditore.js ROLE --config FILE` in its own
 * process, measured from the outside through /proc (CPU ticks and resident memory), so that the
 * emulators and feed servers in the benchmark process are never counted as the service's cost.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync, openSync, closeSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/**
 * The service runs with the Node options the image ships (Dockerfile's `ENV NODE_OPTIONS`), so the memory
 * measured is the memory deployed; BENCH_NODE_OPTIONS overrides them to compare ("" for Node's defaults).
 */
export const SHIPPED_NODE_OPTIONS = process.env.BENCH_NODE_OPTIONS ?? /NODE_OPTIONS="([^"]*)"/.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))?.[1] ?? '';

export interface ProcSample { cpuMs: number; rssMb: number; at: number }

export interface ServiceProcess {
  pid: number;
  logFile: string;
  sample(): ProcSample;
  /** Lines of the log at warn level or above. */
  problems(): string[];
  log(): string;
  stop(): Promise<number | null>;
}

export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at ") ".
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = ((Number(f[11]) + Number(f[12])) * 1000) / TICKS; // utime + stime
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuMs, rssMb: rssKb / 1024, at: performance.now() };
}

/** Set by `--profile DIR`: each service process writes a V8 CPU profile there (open it in Chrome DevTools). */
let profileDir: string | undefined;
export function profileServicesInto(dir: string | undefined): void { profileDir = dir; }
/** Node flags that make a process write its CPU profile under `--profile DIR`/TAG (none without it). */
export function profileArgs(tag: string): string[] { return profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, tag)}`] : []; }

export async function startService(role: 'run' | 'poller' | 'worker', configFile: string, dir: string, tag: string = role): Promise<ServiceProcess> {
  const logFile = join(dir, `${tag}.log`);
  const fd = openSync(logFile, 'a');
  const profile = profileArgs(tag);
  const child: ChildProcess = spawn(process.execPath, [...profile, join(ROOT, 'bin/banditore.js'), role, '--config', configFile], {
    cwd: ROOT, stdio: ['ignore', fd, fd], env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_FORMAT: 'json', NODE_OPTIONS: SHIPPED_NODE_OPTIONS },
  });
  closeSync(fd);
  const log = () => readFileSync(logFile, 'utf8');
  // Ready when the role says it started (schedules written, workers listening).
  const started = Date.now();
  while (!/"msg":"banditore started"/.test(log())) {
    if (child.exitCode !== null) throw new Error(`banditore ${role} exited with ${child.exitCode}:\n${log().slice(-2000)}`);
    if (Date.now() - started > 120_000) throw new Error(`banditore ${role} did not start in 120 s:\n${log().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    pid: child.pid!, logFile, log,
    sample: () => sampleProc(child.pid!),
    problems: () => log().split('\n').filter((l) => /"level":(40|50|60)/.test(l) && !/maxmemory-policy|persistence|AOF/.test(l)),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}
