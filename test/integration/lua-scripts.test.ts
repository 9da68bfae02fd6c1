// SPDX-License-Identifier: EUPL-1.2
/**
 * The Lua scripts live in src/redis/lua/, one file per script, each described once in src/redis/scripts.ts:
 * every descriptor's file exists, its header names the same KEYS and ARGV in the same order, it
 * assembles with its includes and Redis compiles it. No Lua is left in TypeScript strings.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SCRIPTS } from '../../src/redis/scripts.ts';
import { loadLua, expectedHeader, headerOf, LUA_DIR } from '../../src/redis/lua-loader.ts';
import { connectTestRedis } from '../helpers/redis.ts';

const SRC = join(import.meta.dirname, '../../src');

function filesUnder(dir: string, ext: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(ext))
    .map((e) => join(e.parentPath, e.name));
}

describe('Lua scripts in files of their own', () => {
  const redis = connectTestRedis();
  afterAll(async () => { await (await redis).quit(); });

  it('every descriptor names its KEYS and ARGV as its file\'s header does, and Redis compiles the assembled script', async () => {
    const r = await redis;
    for (const s of Object.values(SCRIPTS)) {
      const text = readFileSync(join(LUA_DIR, s.file), 'utf8');
      expect(headerOf(text), s.file).toEqual(expectedHeader(s));
      const lua = loadLua(s);
      expect(lua, s.file).not.toMatch(/@include/);
      // SCRIPT LOAD compiles without running: a syntax error or a missing include fails here.
      expect(await r.script('LOAD', lua), s.file).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('every script file has a descriptor (includes are only included)', () => {
    const described = new Set(Object.values(SCRIPTS).map((s) => s.file));
    const files = filesUnder(LUA_DIR, '.lua').map((f) => relative(LUA_DIR, f)).filter((f) => !f.startsWith('includes'));
    expect(files.sort()).toEqual([...described].sort());
  });

  it('a header that disagrees with its descriptor is refused at load, naming the file and both lists', () => {
    const admit = SCRIPTS.admit;
    expect(() => loadLua({ ...admit, file: admit.file, keys: [...admit.keys].reverse() }))
      .toThrow(/admit\.lua: its header does not match its descriptor[\s\S]*expected:[\s\S]*KEYS\[1\] appWait[\s\S]*found:[\s\S]*KEYS\[1\] channelState/);
  });

  it('a script refuses a KEY or ARG name its descriptor does not have', async () => {
    const r = await redis;
    const probe = { file: 'release-lock.lua', keys: ['lock'], args: ['token'] };
    // The prelude is what the loader puts in front; a misspelt name must fail loudly, not read nil.
    const prelude = loadLua(probe).split('\n').filter((l) => l.startsWith('local KEY') || l.startsWith('local ARG')).join('\n');
    await expect(r.eval(`${prelude}\nreturn ARG.tokn`, 1, 'bt-probe-lock', 'x')).rejects.toThrow(/ARG has no tokn/);
  });

  it('no TypeScript file under src/ holds Lua', () => {
    const offenders = filesUnder(SRC, '.ts').filter((f) => /redis\.call\(|\bKEYS\[\d|\bARGV\[\d/.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(SRC, f))).toEqual([]);
  });
});
