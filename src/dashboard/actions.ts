/**
 * Operator actions, shared by the HTML forms and the JSON API: check the target exists, act through the
 * OperatorService, and write the audit entry (who, what, when, result) whatever the outcome.
 */
import type { OperatorService } from '../state/operator.ts';
import type { ErrorClass } from '../channels/channel.ts';
import type { NetworkName } from '../domain/offer.ts';
import type { Logger } from '../log/logger.ts';

export const ERROR_CLASSES: readonly ErrorClass[] = ['transient', 'rate-limited', 'auth', 'duplicate', 'permanent', 'usage-capped'];

export interface PublisherInfo { id: string; name: string; networks: NetworkName[] }

export type ActionResult =
  | { ok: true; released?: number; retried?: number }
  | { ok: false; status: 404 | 500; error: string };

export interface Actions {
  pause(who: string, publisher: string, network: string): Promise<ActionResult>;
  resume(who: string, publisher: string, network: string): Promise<ActionResult>;
  retryJob(who: string, jobId: string): Promise<ActionResult>;
  retryClass(who: string, errorClass: string): Promise<ActionResult>;
  cancel(who: string, publisher: string, key: string): Promise<ActionResult>;
}

/** An error that means "no such thing" rather than "it broke". */
const looksNotFound = (e: unknown) => /not found|unknown|no such|does not exist|missing/i.test((e as Error)?.message ?? '');

export function createActions(operator: OperatorService, publishers: PublisherInfo[], logger: Logger): Actions {
  const byId = new Map(publishers.map((p) => [p.id, p]));

  async function run(who: string, action: string, target: string, fn: () => Promise<ActionResult & { ok: true }>): Promise<ActionResult> {
    let result: ActionResult;
    try {
      result = await fn();
    } catch (e) {
      const notFound = looksNotFound(e);
      if (!notFound) logger.error({ err: e, action, target }, 'operator action failed');
      // The operator service promises secret-free messages; still, a 500 says nothing about internals.
      result = notFound ? { ok: false, status: 404, error: (e as Error).message } : { ok: false, status: 500, error: 'action failed' };
    }
    const detail = result.ok ? (result.retried !== undefined ? `retried ${result.retried}` : result.released !== undefined ? `released ${result.released}` : undefined) : result.error;
    await operator.recordAudit({ at: Date.now(), who, action, target, result: result.ok ? 'ok' : 'error', ...(detail ? { detail } : {}) })
      .catch((e) => logger.error({ err: e }, 'audit write failed'));
    return result;
  }

  const channelOf = (publisher: string, network: string): NetworkName | undefined => {
    const p = byId.get(publisher);
    return p?.networks.find((n) => n === network);
  };
  const unknownChannel = (publisher: string, network: string): ActionResult =>
    ({ ok: false, status: 404, error: `unknown channel ${publisher}/${network}` });

  return {
    async pause(who, publisher, network) {
      const net = channelOf(publisher, network);
      if (!net) return unknownChannel(publisher, network);
      return run(who, 'pause', `${publisher}/${net}`, async () => { await operator.pause(publisher, net, who); return { ok: true }; });
    },
    async resume(who, publisher, network) {
      const net = channelOf(publisher, network);
      if (!net) return unknownChannel(publisher, network);
      return run(who, 'resume', `${publisher}/${net}`, async () => ({ ok: true, released: (await operator.resume(publisher, net, who)).released }));
    },
    async retryJob(who, jobId) {
      if (!jobId || jobId.length > 300) return { ok: false, status: 404, error: 'unknown job' };
      return run(who, 'retry', jobId, async () => { await operator.retryJob(jobId, who); return { ok: true }; });
    },
    async retryClass(who, errorClass) {
      const cls = ERROR_CLASSES.find((c) => c === errorClass);
      if (!cls) return { ok: false, status: 404, error: `unknown error class ${errorClass}` };
      return run(who, 'retry-group', cls, async () => ({ ok: true, retried: await operator.retryFailures(cls, who) }));
    },
    async cancel(who, publisher, key) {
      if (!byId.has(publisher)) return { ok: false, status: 404, error: `unknown publisher ${publisher}` };
      if (!key || key.length > 300) return { ok: false, status: 404, error: 'unknown offer' };
      return run(who, 'cancel', `${publisher}/${key}`, async () => {
        if (!(await operator.getOffer(publisher, key))) throw new Error(`offer ${publisher}/${key} not found`);
        await operator.cancelOffer(publisher, key, who);
        return { ok: true };
      });
    },
  };
}
