// SPDX-License-Identifier: EUPL-1.2
/** Waits for Redis at start, saying once, clearly, where it is looked for. */
import type { Runtime } from './runtime.ts';

export async function waitForRedis(rt: Runtime, timeoutMs = Infinity): Promise<void> {
  const started = Date.now();
  let told = false;
  for (;;) {
    try {
      if ((await Promise.race([rt.redis.ping(), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000))])) === 'PONG') return;
    } catch { /* not yet */ }
    const where = rt.config.redis.clusterNodes?.join(', ') ?? rt.config.redis.url.replace(/\/\/[^@]*@/, '//***@');
    if (Date.now() - started > timeoutMs) throw new Error(`Redis does not answer at ${where}`);
    if (!told) { rt.logger.warn({ redis: where }, `waiting for Redis at ${where} (start one with: redis-server)`); told = true; }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
