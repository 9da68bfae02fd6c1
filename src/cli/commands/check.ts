/**
 * `banditore check --config FILE`: the config is valid (it loaded), Redis answers, and every account's
 * credentials work (X GET /2/users/me, Facebook GET /me with the Page token). Exit 1 on any problem.
 */
import { parse, requireConfig, type Io } from '../args.ts';
import { buildChannelBook } from '../../app/runtime.ts';
import { createRedis } from '../../redis/connection.ts';
import { makeScrubber } from '../../log/redact.ts';

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
      const me = await e.channel.verify();
      io.out(`${label}: ok — ${e.definition.describeAccount(me)} (id ${me.id})`);
    } catch (err) {
      problems++;
      io.out(scrub(`${label}: FAILED — ${(err as Error).message}`));
    }
  }
  io.out(problems ? `${problems} problem(s) found` : 'all good');
  return problems ? 1 : 0;
}
