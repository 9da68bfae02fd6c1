// SPDX-License-Identifier: EUPL-1.2
/**
 * What the operator commands (status, pause, offer, failures, retry, cancel) share: a runtime whose logs
 * go quietly to stderr, Redis awaited for a few seconds, and the OperatorService, closed at the end.
 */
import type { LoadedConfig } from '../config/load.ts';
import { ConfigError } from '../config/load.ts';
import { createRuntime, type Runtime } from '../app/runtime.ts';
import { waitForRedis } from '../app/wait-for-redis.ts';
import { RedisOperatorService } from '../state/operator-service.ts';
import { createLogger } from '../log/logger.ts';
import type { I18n } from '../i18n/index.ts';
import { parse, requireConfig, wordsFor, type Io } from './args.ts';

export async function withOperator<T>(loaded: LoadedConfig, words: I18n, work: (op: RedisOperatorService, rt: Runtime) => Promise<T>): Promise<T> {
  const rt = createRuntime(loaded, { logger: createLogger({ level: 'error', secrets: loaded.secrets, destination: process.stderr }) });
  try {
    try {
      await waitForRedis(rt, 5000);
    } catch {
      const where = rt.config.redis.clusterNodes?.join(', ') ?? rt.config.redis.url.replace(/\/\/[^@]*@/, '//***@');
      throw new Error(words.t('cli_redisDown', { where }));
    }
    return await work(new RedisOperatorService(rt), rt);
  } finally {
    await rt.close();
  }
}

/** The publisher named by `--publisher`, checked against the config (undefined when not given). */
export function publisherOption(loaded: LoadedConfig, value: unknown, words: I18n): string | undefined {
  if (value === undefined) return undefined;
  const id = String(value);
  if (!loaded.config.publishers.some((p) => p.id === id)) {
    throw new ConfigError(words.t('cli_unknownPublisher', { publisher: id, known: loaded.config.publishers.map((p) => p.id).join(', ') }));
  }
  return id;
}

/** The publisher's time zone, for the times shown next to its channels, feeds and offers. */
export function zoneOf(loaded: LoadedConfig): (publisher: string) => string {
  const zones = new Map(loaded.config.publishers.map((p) => [p.id, p.timezone]));
  return (publisher) => zones.get(publisher) ?? 'Europe/Rome';
}

/**
 * What a listing command (`failures`, `doubt`) starts from: `--config FILE [--publisher ID] [--json]`
 * read and checked, the operator's words, and each publisher's time zone.
 */
export function listingCommand(args: string[], io: Io): { json: boolean; loaded: LoadedConfig; w: I18n; only: string | undefined; zone: (publisher: string) => string } {
  const { values } = parse(args, { json: { type: 'boolean' }, publisher: { type: 'string' } }, false, io);
  const loaded = requireConfig(values, io, { network: false });
  const w = wordsFor(io, loaded);
  return { json: Boolean(values.json), loaded, w, only: publisherOption(loaded, values.publisher, w), zone: zoneOf(loaded) };
}
