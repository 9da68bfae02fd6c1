/**
 * `banditore pause|resume --config FILE PUBLISHER/CHANNEL`. Pausing holds the channel's jobs (nothing
 * is dropped); resuming releases them, and each posts once. Both are written to the audit log.
 */
import { userInfo } from 'node:os';
import { parse, parseTarget, requireConfig, type Io } from '../args.ts';
import { createRuntime } from '../../app/runtime.ts';
import { waitForRedis } from '../../app/wait-for-redis.ts';
import { RedisOperatorService } from '../../state/operator-service.ts';
import { createLogger } from '../../log/logger.ts';
import { ConfigError } from '../../config/load.ts';

export async function runPauseResume(action: 'pause' | 'resume', args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, {}, true);
  const loaded = requireConfig(values);
  const [publisher, network] = parseTarget(positionals[0]);
  const rt = createRuntime(loaded, { logger: createLogger({ level: 'error', secrets: loaded.secrets, destination: process.stderr }) });
  if (!rt.book.get(publisher, network)) { await rt.close(); throw new ConfigError(`${publisher}/${network} is not configured`); }
  const who = `cli:${safeUser()}`;
  const op = new RedisOperatorService(rt);
  try {
    await waitForRedis(rt, 5000);
    if (action === 'pause') {
      await op.pause(publisher, network, who);
      io.out(`${publisher}/${network} paused; its posts are held until resume`);
    } else {
      const { released } = await op.resume(publisher, network, who);
      io.out(`${publisher}/${network} resumed; ${released} held post(s) released`);
    }
    await op.recordAudit({ at: Date.now(), who, action, target: `${publisher}/${network}`, result: 'ok' });
    return 0;
  } finally {
    await rt.close();
  }
}

function safeUser(): string {
  try { return userInfo().username; } catch { return 'unknown'; }
}
