// SPDX-License-Identifier: EUPL-1.2
/**
 * The only place that reads process.env. Everything else receives these values from the config module.
 */
export interface Environment {
  get(name: string): string | undefined;
  redisUrl?: string;
  logLevel?: string;
  /** True when the logs go to a terminal and should be pretty-printed. */
  prettyLogs: boolean;
}

export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  return {
    get: (name) => env[name],
    redisUrl: env.REDIS_URL || undefined,
    logLevel: env.LOG_LEVEL || undefined,
    prettyLogs: env.LOG_FORMAT === 'pretty' || (env.LOG_FORMAT !== 'json' && !env.CI && Boolean(process.stdout.isTTY)),
  };
}
