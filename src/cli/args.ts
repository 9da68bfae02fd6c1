/** Argument parsing shared by the commands (node:util parseArgs, strict: unknown flags are errors). */
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError, type LoadedConfig } from '../config/load.ts';
import type { NetworkName } from '../domain/offer.ts';
import { isNetwork, networkIds } from '../channels/registry.ts';

export interface Io { out: (line: string) => void; err: (line: string) => void }

export interface Parsed { values: Record<string, string | boolean | undefined>; positionals: string[] }

export function parse(args: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>, allowPositionals = false): Parsed {
  try {
    const r = parseArgs({ args, options: { config: { type: 'string', short: 'c' }, ...options }, allowPositionals, strict: true });
    return { values: r.values as Parsed['values'], positionals: r.positionals };
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

export function requireConfig(values: { config?: string | boolean }): LoadedConfig {
  if (typeof values.config !== 'string') throw new ConfigError('--config FILE is required');
  return loadConfig(values.config);
}

/** "teramo/facebook" → [publisher, network]; the network must be a registered one. */
export function parseTarget(target: string | undefined): [string, NetworkName] {
  const m = /^([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(target ?? '');
  if (!m || !isNetwork(m[2]!)) throw new ConfigError(`expected PUBLISHER/CHANNEL with CHANNEL one of ${networkIds().join(', ')} (e.g. pescara/facebook), got "${target ?? ''}"`);
  return [m[1]!, m[2]!];
}
