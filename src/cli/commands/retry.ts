// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore retry --config FILE JOB_ID...` retries failed jobs by id (fresh attempts);
 * `banditore retry --config FILE --failed CLASS [--publisher ID]` retries every failed job of a class.
 * It prints how many went back to the queue, and writes one audit entry per action (who = cli:<user>).
 */
import { cliOperator, parse, requireConfig, wordsFor, type Io } from '../args.ts';
import { publisherOption, withOperator } from '../session.ts';
import { ConfigError } from '../../config/load.ts';
import { ERROR_CLASSES, type ErrorClass } from '../../channels/channel.ts';

export async function runRetry(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { failed: { type: 'string' }, publisher: { type: 'string' } }, true, io);
  const loaded = requireConfig(values, io, { network: false });
  const w = wordsFor(io, loaded);
  const cls = values.failed === undefined ? undefined : ERROR_CLASSES.find((c) => c === values.failed);
  if (values.failed !== undefined && !cls) throw new ConfigError(w.t('retry_badClass', { value: String(values.failed), classes: ERROR_CLASSES.join(', ') }));
  if (cls ? positionals.length > 0 : positionals.length === 0) throw new ConfigError(w.t('retry_usage'));
  if (!cls && values.publisher !== undefined) throw new ConfigError(w.t('retry_usage'));
  const publisher = publisherOption(loaded, values.publisher, w);
  const who = cliOperator();
  return withOperator(loaded, w, async (op) => {
    if (cls) return retryClass(cls, publisher);
    let retried = 0;
    let failed = 0;
    for (const jobId of positionals) {
      try {
        await op.retryJob(jobId, who);
        retried++;
        await op.recordAudit({ at: Date.now(), who, action: 'retry', target: jobId, result: 'ok' });
      } catch (e) {
        failed++;
        const message = /not found/i.test((e as Error).message) ? w.t('retry_noJob', { id: jobId }) : (e as Error).message;
        io.err(message);
        await op.recordAudit({ at: Date.now(), who, action: 'retry', target: jobId, result: 'error', detail: (e as Error).message });
      }
    }
    io.out(w.t('retry_done', { n: retried }));
    return failed ? 1 : 0;

    async function retryClass(errorClass: ErrorClass, only: string | undefined): Promise<number> {
      const n = await op.retryFailures(errorClass, who, only ? { publisher: only } : {});
      await op.recordAudit({ at: Date.now(), who, action: 'retry-group', target: only ? `${only}/${errorClass}` : errorClass, result: 'ok', detail: `retried ${n}` });
      io.out(w.t('retry_done', { n }));
      return 0;
    }
  });
}
