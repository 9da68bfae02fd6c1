// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore pause|resume --config FILE PUBLISHER/CHANNEL`. Pausing holds the channel's jobs (nothing
 * is dropped); resuming releases them, and each posts once. Both are written to the audit log.
 */
import { cliOperator, parse, parseTarget, requireConfig, wordsFor, type Io } from '../args.ts';
import { withOperator } from '../session.ts';
import { ConfigError } from '../../config/load.ts';

export async function runPauseResume(action: 'pause' | 'resume', args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {}, true, io);
  const loaded = requireConfig(values, io, { network: false });
  const words = wordsFor(io, loaded);
  const [publisher, wanted] = parseTarget(positionals[0], words);
  return withOperator(loaded, words, async (op, rt) => {
    const entry = rt.book.all().find((e) => e.publisher.id === publisher && e.network === wanted);
    if (!entry) throw new ConfigError(words.t('cli_channelNotConfigured', { target: `${publisher}/${wanted}` }));
    const network = entry.network;
    const target = `${publisher}/${network}`;
    const who = cliOperator();
    if (action === 'pause') {
      await op.pause(publisher, network, who);
      io.out(words.t('cli_paused', { target }));
      await op.recordAudit({ at: Date.now(), who, action, target, result: 'ok' });
    } else {
      const { released } = await op.resume(publisher, network, who);
      io.out(words.t('cli_resumed', { target, n: released }));
      await op.recordAudit({ at: Date.now(), who, action, target, result: 'ok', detail: `released ${released}` });
    }
    return 0;
  });
}
