// SPDX-License-Identifier: EUPL-1.2
/**
 * Assembles the Lua scripts of src/redis/lua/ the way BullMQ keeps its commands: one file per script,
 * shared functions in includes/ pulled in by `--- @include "includes/NAME"` (each once, nested includes
 * too), read once per process.
 *
 * Each script's KEYS and ARGV are named in its descriptor (src/redis/scripts.ts). The loader checks the
 * file's comment header against the descriptor (so the documentation cannot drift from the call), and
 * puts a prelude in front of the script that names them: `KEY.ledger`, `ARG.now`, and for a repeated
 * group (the limit windows) a list `WINDOWS` of `{ window = KEYS[i], max = ARGV[j], … }`. Neither the
 * callers nor the scripts count indexes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const LUA_DIR = join(import.meta.dirname, 'lua');

/** What the loader needs to know of a script's descriptor. */
export interface LuaShape {
  file: string;
  keys: readonly string[];
  args: readonly string[];
  /** A group of KEYS and ARGV repeated after the named ones, once per item (e.g. the limit windows). */
  each?: { name: string; keys: readonly string[]; args: readonly string[] };
}

const INCLUDE = /^---\s*@include\s+"([^"]+)"\s*$/gm;
const cache = new Map<string, string>();

function read(name: string): string {
  const file = name.endsWith('.lua') ? name : `${name}.lua`;
  return readFileSync(join(LUA_DIR, file), 'utf8');
}

/** The file's text with every include replaced by the included file (each once). */
function resolveIncludes(text: string, seen: Set<string>, from: string): string {
  return text.replace(INCLUDE, (_line, name: string) => {
    if (seen.has(name)) return `-- (${name} already included)`;
    seen.add(name);
    let body: string;
    try { body = read(name); } catch { throw new Error(`${from}: cannot include "${name}" (no ${name}.lua in ${LUA_DIR})`); }
    return `-- begin ${name}\n${resolveIncludes(body, seen, name)}\n-- end ${name}`;
  });
}

/** The header lines the descriptor implies, as the .lua file must spell them (names only, in order). */
export function expectedHeader(shape: LuaShape): string[] {
  const lines = [
    ...shape.keys.map((k, i) => `KEYS[${i + 1}] ${k}`),
    ...(shape.each ? [`KEYS[${shape.keys.length + 1}+] ${shape.each.name}: ${shape.each.keys.join(', ')}`] : []),
    ...shape.args.map((a, i) => `ARGV[${i + 1}] ${a}`),
    ...(shape.each ? [`ARGV[${shape.args.length + 1}+] ${shape.each.name}: ${shape.each.args.join(', ')}`] : []),
  ];
  return lines;
}

/** The KEYS/ARGV lines of a file's header, reduced to the same form as expectedHeader. */
export function headerOf(text: string): string[] {
  const out: string[] = [];
  // The header is the first block comment, after the licence line (`-- SPDX-License-Identifier: …`).
  const header = /^(?:--[^\n[]*\n)*--\[\[([\s\S]*?)\]\]/.exec(text)?.[1] ?? '';
  for (const line of header.split('\n')) {
    const single = /^\s*(KEYS|ARGV)\[(\d+)\]\s+(\w+)/.exec(line);
    if (single) { out.push(`${single[1]}[${single[2]}] ${single[3]}`); continue; }
    const group = /^\s*(KEYS|ARGV)\[(\d+)\+\]\s+(\w+):\s*(\w+(?:\s*,\s*\w+)*)/.exec(line);
    if (group) out.push(`${group[1]}[${group[2]}+] ${group[3]}: ${group[4]!.split(/\s*,\s*/).join(', ')}`);
  }
  return out;
}

function luaString(s: string): string {
  if (!/^\w+$/.test(s)) throw new Error(`script key and argument names must be plain words, not "${s}"`);
  return s;
}

/** The generated prelude: KEY, ARG and the repeated group's list, each refusing names it does not have. */
function prelude(shape: LuaShape): string {
  const strict = (what: string) => `{ __index = function(_, k) error('${what} has no ' .. tostring(k)) end }`;
  const lines = [
    `-- Generated from the descriptor in src/redis/scripts.ts (${shape.file}).`,
    `local KEY = setmetatable({ ${shape.keys.map((k, i) => `${luaString(k)} = KEYS[${i + 1}]`).join(', ')} }, ${strict(`${shape.file}: KEY`)})`,
    `local ARG = setmetatable({ ${shape.args.map((a, i) => `${luaString(a)} = ARGV[${i + 1}]`).join(', ')} }, ${strict(`${shape.file}: ARG`)})`,
  ];
  if (shape.each) {
    const e = shape.each;
    const k0 = shape.keys.length;
    const a0 = shape.args.length;
    const nk = e.keys.length;
    const na = e.args.length;
    const fields = [
      ...e.keys.map((k, j) => `${luaString(k)} = KEYS[${k0 + 1 + j} + i * ${nk}]`),
      ...e.args.map((a, j) => `${luaString(a)} = ARGV[${a0 + 1 + j} + i * ${na}]`),
    ];
    lines.push(
      `local ${e.name.toUpperCase()} = {}`,
      `for i = 0, (#KEYS - ${k0}) / ${nk} - 1 do`,
      `  ${e.name.toUpperCase()}[i + 1] = setmetatable({ ${fields.join(', ')} }, ${strict(`${shape.file}: ${e.name}`)})`,
      'end',
    );
  }
  return lines.join('\n');
}

/**
 * The script as Redis runs it: prelude, then the file with its includes. Built once per process and
 * file; throws when the file is missing or its header disagrees with the descriptor.
 */
export function loadLua(shape: LuaShape): string {
  const want = expectedHeader(shape);
  const id = `${shape.file}\n${want.join('\n')}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const text = read(shape.file);
  const have = headerOf(text);
  if (want.join('\n') !== have.join('\n')) {
    throw new Error(`src/redis/lua/${shape.file}: its header does not match its descriptor in src/redis/scripts.ts.\n` +
      `  expected:\n    ${want.join('\n    ')}\n  found:\n    ${have.join('\n    ') || '(no KEYS/ARGV lines)'}`);
  }
  const lua = `${prelude(shape)}\n${resolveIncludes(text, new Set(), shape.file)}\n`;
  cache.set(id, lua);
  return lua;
}
