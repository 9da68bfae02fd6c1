// SPDX-License-Identifier: EUPL-1.2
/**
 * The folders are a map of the architecture, and this test keeps them one: nothing imports upward
 * (the domain never knows the dashboard), and no code outside a network's own folder names that network,
 * so adding a network is its folder plus one line in src/channels/registry.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { networkIds } from '../../../src/channels/registry.ts';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.(ts|js)$/.test(name) ? [p] : [];
  });
}

const files = sourceFiles(SRC).map((abs) => ({ rel: path.relative(SRC, abs).split(path.sep).join('/'), text: readFileSync(abs, 'utf8') }));

/** The top folder of src/ that a file lives in ("delivery" for src/delivery/deliver.ts). */
const areaOf = (rel: string) => rel.split('/')[0]!;

/** Imports of a file, as paths relative to src/ (only the project's own files). */
function importsOf(f: { rel: string; text: string }): string[] {
  const out: string[] = [];
  for (const m of f.text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'|import\('(\.{1,2}\/[^']+)'\)/g)) {
    const spec = m[1] ?? m[2]!;
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(f.rel), spec)));
  }
  return out;
}

/** Which top folders each folder must never import from. */
const NEVER: Record<string, string[]> = {
  domain: ['app', 'cli', 'dashboard', 'state', 'delivery', 'poller', 'queue', 'ledger', 'limits', 'channels', 'feeds', 'format', 'redis', 'sandbox', 'config'],
  channels: ['app', 'cli', 'dashboard', 'state', 'delivery', 'poller', 'queue', 'ledger', 'limits'],
  feeds: ['app', 'cli', 'dashboard', 'state', 'delivery', 'poller', 'queue', 'ledger', 'limits', 'sandbox'],
  format: ['app', 'cli', 'dashboard', 'state', 'delivery', 'poller', 'queue', 'ledger', 'limits', 'sandbox'],
  ledger: ['app', 'cli', 'dashboard', 'delivery', 'poller', 'queue', 'sandbox'],
  limits: ['app', 'cli', 'dashboard', 'state', 'delivery', 'poller', 'queue', 'ledger', 'sandbox'],
  redis: ['app', 'cli', 'dashboard', 'state', 'delivery', 'poller', 'queue', 'ledger', 'limits', 'sandbox'],
  log: ['app', 'cli', 'dashboard', 'state', 'delivery', 'poller', 'queue', 'ledger', 'limits', 'sandbox'],
  delivery: ['app', 'cli', 'dashboard', 'poller', 'sandbox'],
  poller: ['app', 'cli', 'dashboard', 'sandbox'],
  queue: ['app', 'cli', 'dashboard', 'sandbox'],
  state: ['app', 'cli', 'dashboard', 'sandbox'],
  dashboard: ['cli', 'sandbox'],
  sources: ['app', 'cli', 'dashboard', 'sandbox', 'delivery', 'queue'],
  config: ['app', 'cli', 'dashboard', 'state', 'delivery', 'poller', 'queue', 'ledger', 'limits', 'sandbox'],
};

describe('layers', () => {
  it('no folder imports from a layer above it', () => {
    const wrong: string[] = [];
    for (const f of files) {
      const banned = NEVER[areaOf(f.rel)] ?? [];
      for (const target of importsOf(f)) {
        // A network's emulator is sandbox code that lives beside its adapter; it may use the sandbox kit.
        if (/^channels\/[^/]+\/emulator\.ts$/.test(f.rel) && target.startsWith('sandbox/')) continue;
        // The operators' service sits above the stores and reads the runtime they are built into.
        if (['state/operator-service.ts', 'state/offer-detail.ts'].includes(f.rel) && target.startsWith('app/')) continue;
        if (banned.includes(areaOf(target))) wrong.push(`${f.rel} imports ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('only the sandbox and the tests start an emulator: no production file imports one', () => {
    const wrong = files.filter((f) => !f.rel.startsWith('sandbox/') && !/\/emulator\.ts$/.test(f.rel))
      .flatMap((f) => importsOf(f).filter((t) => /\/emulator\.ts$/.test(t)).map((t) => `${f.rel} imports ${t}`));
    expect(wrong).toEqual([]);
  });

  it('nothing imports BullMQ outside the queue seam', () => {
    const wrong = files.filter((f) => !f.rel.startsWith('queue/') && /from 'bullmq'/.test(f.text) && !/^import type/m.test(f.text.match(/.*from 'bullmq'.*/)?.[0] ?? ''))
      .map((f) => f.rel);
    expect(wrong).toEqual([]);
  });
});

describe('networks', () => {
  it('no code outside a network\'s own folder names that network (the registry lists them)', () => {
    const wrong: string[] = [];
    for (const id of networkIds()) {
      const literal = new RegExp(`['"\`]${id}['"\`]`);
      for (const f of files) {
        if (f.rel.startsWith(`channels/${id}/`) || f.rel === 'channels/registry.ts' || f.rel.startsWith('sandbox/')) continue;
        // Comments may speak of a network; code may not branch on it.
        const code = f.text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
        if (literal.test(code)) wrong.push(`${f.rel} names "${id}"`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
