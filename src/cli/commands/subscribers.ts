// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore subscribers import|export --config FILE PUBLISHER FILE`: a publisher's newsletter
 * subscribers from and to CSV (the columns are in src/channels/newsletter/csv.ts). `-` as FILE is
 * standard input or output.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, requireConfig, wordsFor, type Io } from '../args.ts';
import { publisherOption, withOperator } from '../session.ts';
import { ConfigError } from '../../config/load.ts';
import { definitionOf, configuredNetworks } from '../../channels/registry.ts';
import { importSubscribers, exportSubscribers } from '../../channels/newsletter/csv.ts';
import { newsletter } from '../../channels/newsletter/index.ts';

export async function runSubscribers(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {}, true, io);
  const loaded = requireConfig(values, io, { network: false });
  const w = wordsFor(io, loaded);
  const [action, publisher, file] = positionals;
  if ((action !== 'import' && action !== 'export') || !publisher || !file || positionals.length !== 3) throw new ConfigError(w.t('newsletter_cli_usage'));
  publisherOption(loaded, publisher, w);
  const pub = loaded.config.publishers.find((p) => p.id === publisher)!;
  if (!configuredNetworks(pub).some((n) => definitionOf(n) === newsletter)) throw new ConfigError(w.t('newsletter_cli_noNewsletter', { publisher }));
  return withOperator(loaded, w, async (_op, rt) => {
    if (action === 'import') {
      const report = await importSubscribers(rt.services, publisher, readFileSync(file === '-' ? 0 : file, 'utf8'));
      for (const bad of report.invalid) io.err(w.t('newsletter_cli_badRow', { line: bad.line, reason: bad.reason }));
      io.out(w.t('newsletter_cli_imported', { imported: report.imported, skipped: report.skipped, invalid: report.invalid.length }));
      return report.invalid.length ? 1 : 0;
    }
    const { csv, count } = await exportSubscribers(rt.services, publisher);
    if (file === '-') process.stdout.write(csv);
    else { writeFileSync(file, csv, { mode: 0o600 }); io.out(w.t('newsletter_cli_exported', { n: count, file })); }
    return 0;
  });
}
