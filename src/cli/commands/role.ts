/** `banditore run|poller|worker|dashboard`: runs until SIGTERM/SIGINT, then stops cleanly and exits 0. */
import { parse, requireConfig, type Io } from '../args.ts';
import { createRuntime } from '../../app/runtime.ts';
import { startRole, type Role } from '../../app/roles.ts';
import { waitForRedis } from '../../app/wait-for-redis.ts';

export async function runRole(role: Role, args: string[], _io: Io): Promise<number> {
  const { values } = parse(args, {});
  const loaded = requireConfig(values);
  const rt = createRuntime(loaded);
  await waitForRedis(rt);
  const stop = await startRole(rt, role);
  rt.logger.info({ role, publishers: loaded.config.publishers.length }, 'banditore started');
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    rt.logger.info({ signal }, 'stopping: finishing active posts');
    // Bounded: a post that does not finish in time is reconciled by the next worker.
    const force = setTimeout(() => process.exit(0), loaded.config.worker.postTimeout + 10_000);
    force.unref();
    stop().then(() => process.exit(0), () => process.exit(0));
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return -1;
}
