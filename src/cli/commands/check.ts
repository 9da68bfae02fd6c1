/**
 * `banditore check --config FILE`: the config is valid (it loaded), Redis answers, and every account's
 * credentials work (X GET /2/users/me, Facebook GET /me with the Page token). Exit 1 on any problem.
 */
import { parse, requireConfig, wordsFor, type Io } from '../args.ts';
import { buildChannelBook } from '../../app/runtime.ts';
import { createRedis } from '../../redis/connection.ts';
import { makeScrubber } from '../../log/redact.ts';

export async function runCheck(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {}, false, io);
  const loaded = requireConfig(values, io);
  const w = wordsFor(io, loaded);
  const scrub = makeScrubber(loaded.secrets);
  const { config } = loaded;
  let problems = 0;
  io.out(w.t('check_config', { publishers: w.t('count_publishers', { n: config.publishers.length }), feeds: w.t('count_feeds', { n: config.publishers.reduce((a, p) => a + p.feeds.length, 0) }) }));

  const redis = createRedis(config.redis, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    await redis.ping();
    io.out(w.t('check_redisOk'));
  } catch (e) {
    problems++;
    io.out(scrub(w.t('check_redisFailed', { message: (e as Error).message })));
  } finally {
    redis.disconnect();
  }

  const book = buildChannelBook(config, loaded.baseDir);
  for (const e of book.all()) {
    const label = `${e.publisher.id}/${e.network}`;
    try {
      const me = await e.channel.verify();
      io.out(w.t('check_accountOk', { label, account: e.definition.describeAccount(me, (key, params) => w.tOr(key, key, params)), id: me.id }));
    } catch (err) {
      problems++;
      io.out(scrub(w.t('check_accountFailed', { label, message: (err as Error).message })));
    }
  }
  io.out(w.t('check_problems', { n: problems }));
  return problems ? 1 : 0;
}
