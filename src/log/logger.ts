// SPDX-License-Identifier: EUPL-1.2
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

/** How long a log line may wait in the buffer before it is written. */
const LOG_FLUSH_MS = 200;

/**
 * stdout through a buffer: under load (a burst posts hundreds of lines a second) lines go out in
 * batches of a few kilobytes instead of one write each, which cost ~5 % of a worker's CPU. A timer
 * writes whatever waits at least every LOG_FLUSH_MS, and pino flushes synchronously when the process
 * exits, so a quiet service still shows its lines at once and an ordinary exit loses none.
 */
function bufferedStdout(): pino.DestinationStream {
  const dest = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  setInterval(() => { try { dest.flush(); } catch { /* a write in progress: the next tick flushes */ } }, LOG_FLUSH_MS).unref();
  return dest;
}

/** Fields that hold secrets by their name, removed at any depth even when the config never held the value. */
const SECRET_FIELDS = new Set(['pageAccessToken', 'accessToken', 'accessSecret', 'appSecret', 'botToken', 'password', 'authorization']);

/**
 * Our own walk removes them (it visits every field of every line anyway), not pino's `redact` paths:
 * those cloned each line once more and were a tenth of what a busy worker allocated. `config` goes
 * when it is an HTTP client's request config (axios puts one, token in its URL, on every error).
 */
const censorField = (key: string, value: unknown): boolean =>
  SECRET_FIELDS.has(key) || (key === 'config' && typeof value === 'object' && ('url' in (value as object) || 'headers' in (value as object)));

export function createLogger(opts: LoggerOptions = {}): Logger & { scrub: Scrubber } {
  const scrub = makeScrubber(opts.secrets ?? [], censorField);
  const serializeError = (e: unknown) => (e instanceof Error ? { ...scrub(stdSerializers.err(e)), type: e.name } : scrub(e));
  const options: pino.LoggerOptions = {
    name: opts.name ?? 'banditore',
    level: opts.level ?? 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    serializers: { err: serializeError, error: serializeError },
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
  else logger = pino(options, bufferedStdout());
  scrubBindings(logger, scrub);
  return Object.assign(logger, { scrub });
}

/**
 * pino writes a child's bindings once, when the child is made, and neither `formatters.log` nor the
 * hooks ever see them: a feed URL bound as `{ feed }` would go out as it is, key and all. Every child
 * (children inherit `child` from the root through the prototype chain) and every `setBindings` gets
 * its bindings scrubbed first, at every level of nesting.
 */
function scrubBindings(root: Logger, scrub: Scrubber): void {
  const child = root.child;
  const setBindings = root.setBindings;
  root.child = function scrubbedChild(this: Logger, bindings, options) {
    return child.call(this, scrub(bindings), options);
  } as Logger['child'];
  root.setBindings = function scrubbedSetBindings(this: Logger, bindings) {
    setBindings.call(this, scrub(bindings));
  };
}
