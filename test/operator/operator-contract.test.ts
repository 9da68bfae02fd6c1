// SPDX-License-Identifier: EUPL-1.2
/** The operator contract (./contract.ts) against the in-memory double and against Redis. */
import { memoryOperatorFor, redisWorld } from '../helpers/operator-world.ts';
import { operatorContract } from './contract.ts';

operatorContract('in memory (the page tests\' double)', async (world) => ({ op: memoryOperatorFor(world), close: async () => undefined }));

operatorContract('RedisOperatorService on real Redis', async (world) => {
  const w = await redisWorld(world);
  return { op: w.operator, close: () => w.close() };
});
