// SPDX-License-Identifier: EUPL-1.2
/** Argument parsing and the words shared by the commands (node:util parseArgs, strict: unknown flags are errors). */
import { parseArgs } from 'node:util';
import { userInfo } from 'node:os';
import { loadConfig, ConfigError, type LoadedConfig } from '../config/load.ts';
import { createI18n, DEFAULT_LANGUAGE, isLanguage, type I18n, type Language } from '../i18n/index.ts';

export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
  /** `--lang`, when given: it wins over the config's `dashboard.language`. */
  lang?: Language;
  /** Asks a person at a terminal; undefined when there is no terminal to ask on. */
  ask?: (question: string) => Promise<string | undefined>;
}

export interface Parsed { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] }

type Options = Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }>;

/** The operator's words: `--lang`, else the config's `dashboard.language`, else Italian. */
export function wordsFor(io: Io, loaded?: LoadedConfig): I18n {
  return createI18n(io.lang ?? loaded?.config.dashboard.language ?? DEFAULT_LANGUAGE);
}

/** Node's own parseArgs messages are English: say the same in the operator's language. */
function argumentError(e: Error & { code?: string }, words: I18n): ConfigError {
  const option = /'([^']+)'/.exec(e.message)?.[1] ?? '';
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new ConfigError(words.t('cli_unknownOption', { option }));
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return new ConfigError(words.t('cli_optionValue', { option: option.split(' ')[0] ?? option }));
  if (e.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return new ConfigError(words.t('cli_unexpectedArgument', { argument: option }));
  return new ConfigError(e.message);
}

export function parse(args: string[], options: Options, allowPositionals = false, io: Io = { out: () => {}, err: () => {} }): Parsed {
  try {
    const r = parseArgs({ args, options: { config: { type: 'string', short: 'c' }, ...options }, allowPositionals, strict: true });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (e) {
    throw argumentError(e as Error, wordsFor(io));
  }
}

/**
 * Loads the config named by `--config`. `network: false` for the commands that call no network: a
 * channel's credentials may then be missing from this process's environment (see LoadOptions).
 */
export function requireConfig(values: { config?: unknown }, io: Io = { out: () => {}, err: () => {} }, opts: { network?: boolean } = {}): LoadedConfig {
  if (typeof values.config !== 'string') throw new ConfigError(wordsFor(io).t('cli_configRequired'));
  return loadConfig(values.config, undefined, { ...(io.lang ? { lang: io.lang } : {}), channelCredentials: opts.network === false ? 'optional' : 'required' });
}

/** "teramo/facebook" → [publisher, network]; whether that channel exists is the config's to say. */
export function parseTarget(target: string | undefined, words: I18n): [string, string] {
  const m = /^([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(target ?? '');
  if (!m) throw new ConfigError(words.t('cli_badTarget', { target: target ?? '' }));
  return [m[1]!, m[2]!];
}

/** `--lang it|en` may stand anywhere before `--`; it is taken out before the command reads its arguments. */
export function takeLanguage(argv: string[]): { lang?: Language; rest: string[]; bad?: string } {
  const rest: string[] = [];
  let lang: Language | undefined;
  let bad: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { rest.push(...argv.slice(i)); break; }
    const value = a === '--lang' ? argv[++i] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (a !== '--lang' && !a.startsWith('--lang=')) { rest.push(a); continue; }
    if (isLanguage(value)) lang = value;
    else bad = value ?? '';
  }
  return { ...(lang ? { lang } : {}), rest, ...(bad !== undefined ? { bad } : {}) };
}

/** Who acted, for the audit log: `cli:<os user>`. */
export function cliOperator(): string {
  try { return `cli:${userInfo().username}`; } catch { return 'cli:unknown'; }
}
