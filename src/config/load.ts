// SPDX-License-Identifier: EUPL-1.2
/**
 * Reads, substitutes, validates and freezes the configuration, once, at start. Any problem stops the
 * start with a ConfigError whose message names the key (e.g. `publishers[0].channels.twitter.appKey`).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { configSchema, type Config } from './schema.ts';
import { readEnvironment, type Environment } from './env.ts';
import { createI18n, isLanguage, DEFAULT_LANGUAGE, type I18n, type Language, type MessageKey } from '../i18n/index.ts';
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
  /**
   * `publisher/network` of the channels whose credentials were not in the environment of a process that
   * calls no network (see LoadOptions.channelCredentials): their channel is never built.
   */
  credentialsNotLoaded?: ReadonlySet<string>;
}

export interface LoadOptions {
  env?: Environment;
  baseDir?: string;
  source?: string;
  /** Language of the error messages; else the file's own `dashboard.language`, else Italian. */
  lang?: Language;
  /**
   * 'optional' for the roles and commands that call no network (dashboard, status, pause, …): a channel's
   * `${VAR}` left unset becomes CREDENTIALS_NOT_LOADED, and the channel is listed in credentialsNotLoaded.
   * Every other variable (Redis, the dashboard's password, …) is still required.
   */
  channelCredentials?: 'required' | 'optional';
}

/**
 * What stands in for a channel credential that this process did not load. It is not a token: no adapter
 * is ever built from it (src/app/runtime.ts builds a channel that refuses every call instead).
 */
export const CREDENTIALS_NOT_LOADED = '\u0000credentials-not-loaded';

const SECRET_KEYS = new Set(['appKey', 'appSecret', 'accessToken', 'accessSecret', 'pageAccessToken', 'botToken', 'password', 'passwordHash', 'metricsToken', 'clientSecret']);

/** Any `privateKey` or `…PrivateKey` (a channel's signing key) is a secret, whatever the channel. */
const isPrivateKeyName = (key: string) => key === 'privateKey' || key.endsWith('PrivateKey');
/** Keys whose value is a list of secrets (`publishers[].api.tokens`). */
const SECRET_LISTS = new Set(['tokens']);

function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

interface Substitution {
  env: Environment;
  secrets: Set<string>;
  words: I18n;
  optionalChannels: boolean;
  /** Key path → the unset variables a placeholder stands in for. */
  placeholders: Map<string, { path: (string | number)[]; names: string[] }>;
}

/** `publishers[i].channels.<network>.…`: where a channel's credentials live. */
const isChannelKey = (path: (string | number)[]) => path[0] === 'publishers' && typeof path[1] === 'number' && path[2] === 'channels' && path.length >= 5;

/** Replaces `${NAME}` in every string; a missing variable is an error naming the key that uses it. */
function substitute(node: unknown, path: (string | number)[], s: Substitution): unknown {
  if (typeof node === 'string') {
    const missing: string[] = [];
    const out = node.replace(/\$\{([^}]*)\}/g, (_m, name: string) => {
      if (!/^[A-Z0-9_]+$/.test(name)) throw new ConfigError(s.words.t('config_badVariableName', { key: keyPath(path), ref: `\${${name}}` }));
      const value = s.env.get(name);
      if (value === undefined || value === '') {
        if (!(s.optionalChannels && isChannelKey(path))) throw new ConfigError(s.words.t('config_envNotSet', { key: keyPath(path), name }));
        missing.push(name);
        return '';
      }
      s.secrets.add(value);
      return value;
    });
    if (missing.length) {
      s.placeholders.set(keyPath(path), { path, names: missing });
      return CREDENTIALS_NOT_LOADED;
    }
    return out;
  }
  if (Array.isArray(node)) return node.map((v, i) => substitute(v, [...path, i], s));
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = substitute(v, [...path, k], s);
    return out;
  }
  return node;
}

/** The file's own `dashboard.language`, read before validation so that its errors speak it too. */
function languageOf(doc: unknown): Language | undefined {
  const lang = (doc as { dashboard?: { language?: unknown } } | null)?.dashboard?.language;
  return isLanguage(lang) ? lang : undefined;
}

/** One zod issue in the operator's language: our own messages by their key, zod's through its locale. */
function issueText(i: z.core.$ZodIssue, words: I18n): string {
  if (i.code === 'unrecognized_keys') return words.t('config_unknownKeys', { n: i.keys.length, keys: i.keys.map((k) => `"${k}"`).join(', ') });
  const params = (i as { params?: Record<string, unknown> }).params;
  if (i.code === 'custom' && typeof params?.i18n === 'string') {
    const values = Object.fromEntries(Object.entries(params).filter(([, v]) => typeof v === 'string' || typeof v === 'number')) as Record<string, string | number>;
    return words.t(params.i18n as MessageKey, values);
  }
  return i.message;
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
    if ((SECRET_KEYS.has(key) || isPrivateKeyName(key)) && node.length >= 4) out.add(node);
    if (key === 'url') urlSecrets(node, out);
    return;
  }
  if (Array.isArray(node)) { node.forEach((v) => collectSecrets(v, out, SECRET_LISTS.has(key) ? 'password' : '')); return; }
  if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) collectSecrets(v, out, k);
}

export function parseConfig(text: string, opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? readEnvironment();
  const source = opts.source ?? 'config';
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (e) {
    throw new ConfigError(createI18n(opts.lang ?? DEFAULT_LANGUAGE).t('config_notYaml', { source, message: (e as Error).message.split('\n')[0]! }));
  }
  const lang = opts.lang ?? languageOf(doc) ?? DEFAULT_LANGUAGE;
  const words = createI18n(lang);
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new ConfigError(words.t('config_notMapping', { source }));
  const sub: Substitution = { env, secrets: new Set<string>(), words, optionalChannels: opts.channelCredentials === 'optional', placeholders: new Map() };
  const secrets = sub.secrets;
  const substituted = substitute(doc, [], sub) as Record<string, unknown>;
  if (env.redisUrl) {
    const redis = (substituted.redis && typeof substituted.redis === 'object' ? substituted.redis : {}) as Record<string, unknown>;
    substituted.redis = { ...redis, url: env.redisUrl };
  }
  const result = configSchema.safeParse(substituted, { error: (lang === 'it' ? z.locales.it() : z.locales.en()).localeError });
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const key = keyPath(i.path);
      // A value this process did not load cannot be judged: say so, rather than "not a URL".
      const unset = sub.placeholders.get(key);
      return unset ? words.t('config_envNotSet', { key, name: unset.names.join(', ') }) : `${key}: ${issueText(i, words)}`;
    });
    throw new ConfigError(`${words.t('config_invalid', { source })}\n  ${lines.join('\n  ')}`);
  }
  collectSecrets(result.data, secrets);
  secrets.delete(CREDENTIALS_NOT_LOADED);
  const notLoaded = new Set<string>();
  for (const { path } of sub.placeholders.values()) notLoaded.add(`${result.data.publishers[path[1] as number]!.id}/${String(path[3])}`);
  return {
    config: deepFreeze(result.data), baseDir: opts.baseDir ?? process.cwd(), secrets: [...secrets].filter((s) => s.length >= 4), env,
    ...(notLoaded.size ? { credentialsNotLoaded: notLoaded } : {}),
  };
}

export function loadConfig(file: string, env?: Environment, opts: Omit<LoadOptions, 'env' | 'baseDir' | 'source'> = {}): LoadedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(createI18n(opts.lang ?? DEFAULT_LANGUAGE).t('config_cannotRead', { file, reason: (e as NodeJS.ErrnoException).code ?? (e as Error).message }));
  }
  return parseConfig(text, { ...opts, env, baseDir: dirname(path), source: file });
}
