/**
 * `banditore check --config FILE`: the config is valid (it loaded), Redis answers, and every account's
 * credentials work (X GET /2/users/me, Facebook GET /me with the Page token). Beyond who the token
 * stands for, it says what the token may do: its access level (X `x-access-level`: a read-only token is
 * an error), whether the account's posts can be read (X's Free tier cannot: reconciliation then resends),
 * and whether the network confirms the configured ids (Facebook: GET /me must answer the Page `pageId`).
 * Exit 1 on any problem. The lines about what the token may do are in Italian.
 */
import { parse, requireConfig, type Io } from '../args.ts';
import { buildChannelBook } from '../../app/runtime.ts';
import { createRedis } from '../../redis/connection.ts';
import { makeScrubber } from '../../log/redact.ts';
import type { AccountReport } from '../../channels/channel.ts';

/** The report's facts in words: each line, and whether it is a problem. */
function describeReport(r: AccountReport, reconcile: string | undefined): { text: string; problem: boolean }[] {
  const lines: { text: string; problem: boolean }[] = [];
  if (r.access) {
    lines.push(r.access.canPost
      ? { text: `livello di accesso del token (x-access-level): ${r.access.level}, può pubblicare`, problem: false }
      : { text: `ERRORE: il token ha accesso in sola lettura (x-access-level: ${r.access.level}) e ogni post sarebbe rifiutato. Nel portale per sviluppatori imposta «Read and write», rigenera l'access token e aggiornalo nella configurazione`, problem: true });
  }
  if (r.readsPosts?.allowed) {
    lines.push({ text: "lettura dei post dell'account: consentita (livello Basic o superiore): un post in dubbio si verifica leggendo i post recenti", problem: false });
  } else if (r.readsPosts) {
    lines.push(reconcile === 'read'
      ? { text: "ERRORE: lettura dei post dell'account non consentita dal livello di accesso (come il livello Free di X), e con reconcile: read un post in dubbio resterebbe in attesa finché non si potrà leggere: usa reconcile: auto", problem: true }
      : { text: `lettura dei post dell'account: non consentita dal livello di accesso (come il livello Free di X): un post in dubbio si verifica inviandone di nuovo lo stesso testo (reconcile: ${reconcile ?? 'auto'})`, problem: false });
  }
  if (r.mismatch) {
    const who = r.mismatch.foundName ? `«${r.mismatch.foundName}» (id ${r.mismatch.found})` : `l'id ${r.mismatch.found}`;
    lines.push({
      text: `ERRORE: GET /me risponde ${who}, non la Pagina con ${r.mismatch.key} ${r.mismatch.configured}: pageAccessToken deve essere il token della Pagina (da GET /me/accounts), non un token utente; oppure ${r.mismatch.key} è sbagliato`,
      problem: true,
    });
  }
  return lines;
}

export async function runCheck(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {});
  const loaded = requireConfig(values);
  const scrub = makeScrubber(loaded.secrets);
  const { config } = loaded;
  let problems = 0;
  io.out(`config: ok (${config.publishers.length} publisher(s), ${config.publishers.reduce((a, p) => a + p.feeds.length, 0)} feed(s))`);

  const redis = createRedis(config.redis, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
    io.out('redis: ok');
  } catch (e) {
    problems++;
    io.out(scrub(`redis: FAILED (${(e as Error).message})`));
  } finally {
    redis.disconnect();
  }

  const book = buildChannelBook(config, loaded.baseDir);
  for (const e of book.all()) {
    const label = `${e.publisher.id}/${e.network}`;
    try {
      const report = await e.channel.inspect();
      const me = report.identity;
      const lines = describeReport(report, (e.config as { reconcile?: string }).reconcile);
      const bad = lines.filter((l) => l.problem).length;
      problems += bad;
      io.out(`${label}: ${bad ? 'ERRORE' : 'ok'} — ${e.network === 'twitter' ? `@${me.username ?? me.name}` : `Page "${me.name}"`} (id ${me.id})`);
      for (const l of lines) io.out(scrub(`  ${l.text}`));
    } catch (err) {
      problems++;
      io.out(scrub(`${label}: FAILED — ${(err as Error).message}`));
    }
  }
  io.out(problems ? `${problems} problem(s) found` : 'all good');
  return problems ? 1 : 0;
}
