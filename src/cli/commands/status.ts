/**
 * `banditore status --config FILE [--json]`: per publisher and channel the state (active, or paused and
 * why), queue counts, each limit window's use and next free slot, the last error; then feed health.
 */
import { parse, requireConfig, type Io } from '../args.ts';
import { createRuntime } from '../../app/runtime.ts';
import { waitForRedis } from '../../app/wait-for-redis.ts';
import { RedisOperatorService } from '../../state/operator-service.ts';
import { createLogger } from '../../log/logger.ts';
import { makeScrubber } from '../../log/redact.ts';
import { formatDuration } from '../../config/duration.ts';
import type { StatusReport } from '../../state/operator.ts';

export async function runStatus(args: string[], io: Io): Promise<number> {
  const { values } = parse(args, { json: { type: 'boolean' } });
  const loaded = requireConfig(values);
  const rt = createRuntime(loaded, { logger: createLogger({ level: 'error', secrets: loaded.secrets, destination: process.stderr }) });
  try {
    await waitForRedis(rt, 5000);
    const report = makeScrubber(loaded.secrets)(await new RedisOperatorService(rt).status());
    if (values.json) io.out(JSON.stringify(report, null, 2));
    else for (const line of renderStatus(report)) io.out(line);
    return 0;
  } finally {
    await rt.close();
  }
}

const time = (ms?: number) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '—');

export function renderStatus(r: StatusReport): string[] {
  const out: string[] = [`Banditore status at ${time(r.generatedAt)}`, '', 'CHANNELS'];
  for (const c of r.channels) {
    const state = c.state === 'paused' ? `PAUSED (${c.paused?.kind}: ${c.paused?.reason}, since ${time(c.paused?.since)})` : 'active';
    out.push(`  ${c.publisher}/${c.network}: ${state}`);
    out.push(`    jobs: waiting ${c.counts.waiting}, delayed ${c.counts.delayed}, active ${c.counts.active}, failed ${c.counts.failed}, held ${c.counts.held}; posted ${c.counts.posted}`);
    for (const w of c.limits) out.push(`    limit ${w.used}/${w.max} per ${formatDuration(w.perMs)}; next free ${w.nextFreeAt <= r.generatedAt ? 'now' : time(w.nextFreeAt)}`);
    if (c.waitUntil) out.push(`    waiting as the network asked until ${time(c.waitUntil)}`);
    if (c.lastError) out.push(`    last error (${c.lastError.errorClass}) at ${time(c.lastError.at)}: ${c.lastError.message}`);
  }
  out.push('', 'FEEDS');
  for (const f of r.feeds) {
    out.push(`  ${f.publisher} ${f.url}`);
    out.push(`    last poll ${time(f.lastPollAt)} (${f.lastResult ?? 'never'}), last success ${time(f.lastSuccessAt)}, next ${time(f.nextPollAt)}, consecutive failures ${f.consecutiveFailures}`);
    if (f.lastError) out.push(`    last error: ${f.lastError}`);
  }
  return out;
}
