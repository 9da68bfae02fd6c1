// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore doubt --config FILE [--publisher ID] [--json]`: the posts in doubt (their last sending has
 * an unknown outcome, or they are posted without the network's id), oldest first, with how long and how
 * many attempts, and which ones only an operator can settle (a network that cannot be read and cannot
 * resend safely). The sweeper drives the others again by itself.
 */
import type { Io } from '../args.ts';
import { listingCommand, withOperator } from '../session.ts';

export async function runDoubt(args: string[], io: Io): Promise<number> {
  const { json, loaded, w, only, zone } = listingCommand(args, io);
  return withOperator(loaded, w, async (op) => {
    const posts = await op.inDoubt({ ...(only ? { publisher: only } : {}), limit: 1000 });
    if (json) {
      io.out(JSON.stringify({ ...(only ? { publisher: only } : {}), inDoubt: posts }, null, 2));
      return 0;
    }
    io.out(w.t('doubt_cli_total', { n: posts.length }));
    for (const p of posts) {
      const state = w.tOr(`doubt_cli_state_${p.state}`, p.state);
      io.out('');
      io.out(w.t('doubt_cli_line', { publisher: p.publisher, network: p.network, title: p.code ? `${p.code} ${p.title}` : p.title, state, since: w.time(p.since, zone(p.publisher)), attempts: p.attempts }));
      io.out(`  ${w.t('doubt_cli_key', { key: p.offerKey })}`);
      if (p.lastError) io.out(`  ${p.lastError}`);
      if (p.leftToOperator) io.out(`  ${w.t('doubt_cli_left')}`);
    }
    if (posts.length) { io.out(''); io.out(w.t('doubt_cli_hint')); }
    return 0;
  });
}
