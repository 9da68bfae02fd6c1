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
    // @bull-board/fastify 9.10.1 carries its own nested @bull-board/api 9.10.1 while we install 9.10.2:
    // the same shape, declared twice, so TypeScript sees two types. Align the versions in package.json.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    options: { uiConfig: { boardTitle: 'Banditore' } },
  });
  await app.register(serverAdapter.registerPlugin(), { prefix: basePath });
}
