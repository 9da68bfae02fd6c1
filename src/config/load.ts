/**
 * Reads, substitutes, validates and freezes the configuration, once, at start. Any problem stops the
 * start with a ConfigError whose message names the key (e.g. `publishers[0].channels.twitter.appKey`).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config } from './schema.ts';
import { readEnvironment, type Environment } from './env.ts';
import { KEY_PARAMS } from '../log/redact.ts';

export class ConfigError extends Error {
  constructor(message: string) { super(message); this.name = 'ConfigError'; }
}

export interface LoadedConfig {
  config: Config;
  /** Directory of the config file: template files are resolved against it. */
  baseDir: string;
  /** Every secret value the config holds, for log and output redaction. */
  secrets: string[];
  env: Environment;
}

const SECRET_KEYS = new Set(['appKey', 'appSecret', 'accessToken', 'accessSecret', 'pageAccessToken', 'password']);

function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

/** Replaces `${NAME}` in every string; a missing variable is an error naming the key that uses it. */
function substitute(node: unknown, env: Environment, path: (string | number)[], secrets: Set<string>): unknown {
  if (typeof node === 'string') {
    const out = node.replace(/\$\{([^}]*)\}/g, (_m, name: string) => {
      if (!/^[A-Z0-9_]+$/.test(name)) throw new ConfigError(`${keyPath(path)}: "\${${name}}" is not a valid variable name (use [A-Z0-9_]+)`);
      const value = env.get(name);
      if (value === undefined || value === '') throw new ConfigError(`${keyPath(path)}: environment variable ${name} is not set`);
      secrets.add(value);
      return value;
    });
    return out;
  }
  if (Array.isArray(node)) return node.map((v, i) => substitute(v, env, [...path, i], secrets));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = substitute(v, env, [...path, k], secrets);
    return out;
  }
  return node;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

/**
 * The secret parts of a URL written in the config (a feed URL, the Redis URL): its userinfo password
 * and the values of key-like query parameters (`?apikey=…`), so that they are scrubbed by value too,
 * wherever they turn up on their own (a redirect, an error message). See KEY_PARAMS in src/log/redact.ts.
 */
function urlSecrets(text: string, out: Set<string>): void {
  let u: URL;
  try { u = new URL(text); } catch { return; }
  const add = (v: string) => { if (v.length >= 4) { out.add(v); try { out.add(decodeURIComponent(v)); } catch { /* keep the raw form */ } } };
  if (u.password) add(u.password);
  for (const [name, value] of u.searchParams) if (KEY_PARAMS.includes(name.toLowerCase())) { add(value); add(encodeURIComponent(value)); }
}

function collectSecrets(node: unknown, out: Set<string>, key = ''): void {
  if (typeof node === 'string') {
    if (SECRET_KEYS.has(key) && node.length >= 4) out.add(node);
    if (key === 'url') urlSecrets(node, out);
    return;
  }
  if (Array.isArray(node)) { node.forEach((v) => collectSecrets(v, out)); return; }
  if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) collectSecrets(v, out, k);
}

export function parseConfig(text: string, opts: { env?: Environment; baseDir?: string; source?: string } = {}): LoadedConfig {
  const env = opts.env ?? readEnvironment();
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new ConfigError(`${opts.source ?? 'config'}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(`${opts.source ?? 'config'}: expected a mapping with redis, dashboard and publishers`);
  const secrets = new Set<string>();
  const substituted = substitute(doc, env, [], secrets) as Record<string, unknown>;
  if (env.redisUrl) {
    const redis = (substituted.redis && typeof substituted.redis === 'object' ? substituted.redis : {}) as Record<string, unknown>;
    substituted.redis = { ...redis, url: env.redisUrl };
  }
  const result = configSchema.safeParse(substituted);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const msg = i.code === 'unrecognized_keys' ? `unknown key ${(i as { keys: string[] }).keys.map((k) => `"${k}"`).join(', ')}` : i.message;
      return `${keyPath(i.path)}: ${msg}`;
    });
    throw new ConfigError(`${opts.source ?? 'config'} is not valid:\n  ${lines.join('\n  ')}`);
  }
  collectSecrets(result.data, secrets);
  return { config: deepFreeze(result.data), baseDir: opts.baseDir ?? process.cwd(), secrets: [...secrets].filter((s) => s.length >= 4), env };
}

export function loadConfig(file: string, env?: Environment): LoadedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseConfig(text, { env, baseDir: dirname(path), source: file });
}
