// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore cancel --config FILE PUBLISHER CODE [--yes]`: "non pubblicare più". Every post of the offer
 * not yet sent is cancelled (a pending job then finds nothing to do); posts already on a network stay,
 * and the command says which, with their links, and how to take them down. It asks for confirmation on a
 * terminal; without one it needs `--yes`. Audited as `cancel` by cli:<user>.
 */
import { cliOperator, parse, requireConfig, wordsFor, type Io } from '../args.ts';
import { publisherOption, withOperator } from '../session.ts';
import { ConfigError } from '../../config/load.ts';

const YES: Record<string, ReadonlySet<string>> = { it: new Set(['s', 'si', 'sì', 'y', 'yes']), en: new Set(['y', 'yes']) };

export async function runCancel(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { yes: { type: 'boolean', short: 'y' } }, true, io);
  const loaded = requireConfig(values, io, { network: false });
  const w = wordsFor(io, loaded);
  if (positionals.length !== 2) throw new ConfigError(w.t('cancel_usage'));
  const [publisher, code] = positionals as [string, string];
  publisherOption(loaded, publisher, w);
  const label = (net: string) => w.network(net);
  return withOperator(loaded, w, async (op) => {
    const found = await op.findOffer(publisher, code);
    if (!found) { io.err(w.t('offer_notFound', { publisher, code })); return 1; }
    const o = found.offer;
    // Never cancel one of several offers that share a code by guessing: the key names exactly one.
    if (found.others.length) throw new ConfigError(w.t('cancel_ambiguous', { code, keys: [o.key, ...found.others].join(', ') }));
    const name = `${o.code ?? o.key} «${o.title}»`;
    if (!values.yes) {
      const answer = io.ask ? await io.ask(`${w.t('cancel_confirm', { offer: name })} `) : undefined;
      if (answer === undefined) throw new ConfigError(w.t('cancel_needsYes'));
      if (!YES[w.lang]!.has(answer.trim().toLowerCase())) { io.out(w.t('cancel_keptAsIs')); return 1; }
    }
    const who = cliOperator();
    const target = `${publisher}/${o.key}`;
    let result;
    try {
      result = await op.cancelOffer(publisher, o.key, who);
    } catch (e) {
      await op.recordAudit({ at: Date.now(), who, action: 'cancel', target, result: 'error', detail: (e as Error).message });
      throw e;
    }
    await op.recordAudit({ at: Date.now(), who, action: 'cancel', target, result: 'ok', detail: `cancelled ${result.cancelled.join(',') || 'none'}; staying ${result.staying.map((s) => s.network).join(',') || 'none'}` });
    io.out(result.changed ? w.t('cancel_done', { offer: name }) : w.t('cancel_already', { offer: name, state: w.tOr(`offer_${result.previousState}`, result.previousState) }));
    io.out(result.cancelled.length ? w.t('cancel_cancelled', { networks: result.cancelled.map(label).join(', ') }) : w.t('cancel_nothingPending'));
    for (const s of result.staying) io.out(w.t('cancel_staying', { network: label(s.network), link: s.permalink ?? s.remoteId ?? w.t('dash') }));
    if (result.staying.length) io.out(w.t('cancel_howToClose'));
    for (const net of result.inDoubt) io.out(w.t('cancel_inDoubt', { network: label(net), publisher, code: o.key }));
    return 0;
  });
}
