// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore failures --config FILE [--publisher ID] [--json]`: the failed posts, grouped by class (auth,
 * rate limit, transient, permanent, duplicate, usage cap), each with its offer, channel, message, time and
 * job id, so that `banditore retry` can be pointed at one job or a whole class.
 */
import type { Io } from '../args.ts';
import { listingCommand, withOperator } from '../session.ts';
import { ERROR_CLASSES } from '../../channels/channel.ts';
import type { FailureItem } from '../../state/operator.ts';

export async function runFailures(args: string[], io: Io): Promise<number> {
  const { json, loaded, w, only, zone } = listingCommand(args, io);
  return withOperator(loaded, w, async (op) => {
    const all = await op.failures();
    const groups: Array<[string, FailureItem[]]> = ERROR_CLASSES
      .map((cls): [string, FailureItem[]] => [cls, (all[cls] ?? []).filter((f) => !only || f.publisher === only).sort((a, b) => b.at - a.at)])
      .filter(([, items]) => items.length > 0);
    if (json) {
      io.out(JSON.stringify({ ...(only ? { publisher: only } : {}), failures: Object.fromEntries(groups) }, null, 2));
      return 0;
    }
    const total = groups.reduce((a, [, items]) => a + items.length, 0);
    io.out(w.t('failures_total', { n: total }));
    for (const [cls, items] of groups) {
      io.out('');
      io.out(`${w.tOr(`class_${cls}`, cls)} (${cls}): ${w.t('count_posts', { n: items.length })}`);
      for (const f of items) {
        io.out(`  ${f.publisher}/${f.network} · ${f.title} · ${w.time(f.at, zone(f.publisher))}`);
        io.out(`    ${f.message}`);
        io.out(`    ${w.t('failures_job', { id: f.jobId })}`);
      }
    }
    if (total) { io.out(''); io.out(w.t('failures_hint')); }
    return 0;
  });
}
