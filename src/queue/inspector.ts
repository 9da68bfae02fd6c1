// SPDX-License-Identifier: EUPL-1.2
/**
 * bull-board, the standard low-level BullMQ inspector, mounted inside the dashboard. It has no access
 * control of its own ("dashboard access is Redis access"): the dashboard's hooks guard `basePath` like
 * every other route, so mount it only on an app that has them.
 */
import type { FastifyInstance } from 'fastify';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';

export async function mountInspector(app: FastifyInstance, queues: Queue[], basePath: string): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(basePath);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Banditore' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: basePath });
}
