/**
 * pino, scoped by child loggers ({publisher, channel, offer, job, attempt}) and scrubbed of every secret
 * before a line is written. JSON by default; pretty on a terminal.
 */
import { pino, stdSerializers, type Logger } from 'pino';
import { makeScrubber, type Scrubber } from './redact.ts';

export type { Logger };

export interface LoggerOptions {
  level?: string;
  secrets?: readonly string[];
  pretty?: boolean;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what operators would see. */
  destination?: NodeJS.WritableStream;
  name?: string;
}

export function createLogger(opts: LoggerOptions = {}): Logger & { scrub: Scrubber } {
  const scrub = makeScrubber(opts.secrets ?? []);
  const serializeError = (e: unknown) => (e instanceof Error ? { ...scrub(stdSerializers.err(e)), type: e.name } : scrub(e));
  const options: pino.LoggerOptions = {
    name: opts.name ?? 'banditore',
    level: opts.level ?? 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError, error: serializeError },
    // Known secret-bearing fields are removed by path as well, in case a value was never in the config.
    redact: { paths: ['*.pageAccessToken', '*.accessToken', '*.accessSecret', '*.appSecret', '*.password', 'headers.authorization', '*.headers.authorization', 'config.url', 'err.config'], censor: '[redacted]' },
    formatters: { log: (obj) => scrub(obj) },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<typeof method>);
      },
    },
  };
  let logger: Logger;
  if (opts.destination) logger = pino(options, opts.destination as pino.DestinationStream);
  else if (opts.pretty) logger = pino({ ...options, transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } });
  else logger = pino(options);
  return Object.assign(logger, { scrub });
}
