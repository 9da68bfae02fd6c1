// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore run|poller|worker|dashboard`: runs until SIGTERM/SIGINT, then stops cleanly and exits 0.
 * The dashboard calls no network: it starts without the channels' credentials in its environment.
 */
import { parse, requireConfig, type Io } from '../args.ts';
import { createRuntime } from '../../app/runtime.ts';
import { startRole, type Role } from '../../app/roles.ts';
import { waitForRedis } from '../../app/wait-for-redis.ts';

/** Roles that never call X, Facebook or any other network on a channel's behalf. */
const NO_NETWORK: ReadonlySet<Role> = new Set(['dashboard']);

export async function runRole(role: Role, args: string[], io: Io): Promise<number> {
  const { values } = parse(args, {}, false, io);
  const loaded = requireConfig(values, io, { network: !NO_NETWORK.has(role) });
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
