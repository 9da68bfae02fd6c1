// SPDX-License-Identifier: EUPL-1.2
/**
 * bull-board's state-changing calls (retry, clean, promote, remove, pause, …) written to the audit log
 * with the person's name. bull-board has no hooks of its own for this, so we read its API routes
 * (`@bull-board/api` routes.js: PUT/POST/DELETE under /queues/api/…) as they pass.
 */
import type { FastifyInstance } from 'fastify';
import type { OperatorService } from '../state/operator.ts';
import type { Logger } from '../log/logger.ts';
import { isStateChanging } from './security/origin.ts';
import { pathOf } from './security/access.ts';

export interface BullBoardCall { op: string; queue?: string; job?: string; status?: string }

const QUEUE_OPS = new Set(['add', 'promote', 'pause', 'resume', 'concurrency', 'rate-limit', 'empty', 'obliterate']);
const JOB_OPS = new Set(['retry', 'clean', 'promote', 'update-data', 'delay', 'priority', 'remove-unprocessed-children']);

/** What a bull-board API call does, from its method and the path after the mount point (e.g. `api/queues/twitter/retry/failed`). */
export function parseBullBoardCall(path: string): BullBoardCall {
  const parts = path.replace(/^\/+/, '').split('/').map((p) => { try { return decodeURIComponent(p); } catch { return p; } });
  if (parts[0] !== 'api') return { op: 'other' };
  if (parts[1] === 'metrics') return { op: 'metrics-purge' };
  if (parts[1] !== 'queues') return { op: 'other' };
  const [queue, a, b, c] = parts.slice(2);
  if (queue === 'pause' || queue === 'resume') return { op: `${queue}-all` };
  if (!queue || !a) return { op: 'other' };
  if (a === 'retry' && b) return { op: 'retry-all', queue, status: b };
  if (a === 'clean' && b) return { op: 'clean-all', queue, status: b };
  if (a === 'rate-limit' && b === 'release') return { op: 'rate-limit-release', queue };
  if (a === 'job-schedulers' && b) return { op: c === 'remove' ? 'scheduler-remove' : c === 'run' ? 'scheduler-run' : 'scheduler-update', queue, job: b };
  if (!b && QUEUE_OPS.has(a)) return { op: a === 'promote' ? 'promote-all' : a, queue };
  if (b && JOB_OPS.has(b)) return { op: b, queue, job: a };
  return { op: 'other', queue };
}

export function auditBullBoard(app: FastifyInstance, basePath: string, operator: OperatorService, publisherIds: Set<string>, logger: Logger): void {
  app.addHook('onResponse', async (req, reply) => {
    const path = pathOf(req);
    if (!isStateChanging(req.method) || !path.startsWith(`${basePath}/api/`) || !req.caller?.person) return;
    const target = path.slice(basePath.length + 1);
    const call = parseBullBoardCall(target);
    // A job id names its publisher (kind.publisher.network.key…): that office may read the entry too.
    const publisher = call.job?.split('.')[1];
    await operator.recordAudit({
      at: Date.now(), who: req.caller.name, action: 'bull-board', target, detail: req.method, via: req.caller.via,
      result: reply.statusCode < 400 ? 'ok' : reply.statusCode === 403 ? 'denied' : 'error',
      ...(publisher && publisherIds.has(publisher) ? { publisher } : {}),
    }).catch((e) => logger.error({ err: e }, 'audit write failed'));
  });
}
