// SPDX-License-Identifier: EUPL-1.2
/**
 * Operator actions, shared by the HTML forms and the JSON API: act through the caller's own view of the
 * OperatorService (narrowed to their offices and role, so the service itself refuses what they may not
 * do), and write the audit entry (who, what, when, result, which office) whatever the outcome: a refusal
 * is recorded as `denied`.
 */
import type { OperatorService } from '../state/operator.ts';
import type { ErrorClass } from '../channels/channel.ts';
import type { NetworkName } from '../domain/offer.ts';
import { isNetwork } from '../channels/registry.ts';
import type { Logger } from '../log/logger.ts';
import { NotFoundError, OutOfScopeError, assertMayAct, scopeOf } from '../state/scope.ts';

export const ERROR_CLASSES: readonly ErrorClass[] = ['transient', 'rate-limited', 'auth', 'duplicate', 'permanent', 'usage-capped'];

export interface PublisherInfo { id: string; name: string; networks: NetworkName[]; timezone?: string }

export type ActionResult =
  | { ok: true; released?: number; retried?: number }
  | { ok: false; status: 403 | 404 | 500; error: string };

/** Who acts: their name, how they signed in, and the operator service as they may use it. */
export interface Actor { name: string; via: string; operator: OperatorService }

export interface Actions {
  pause(actor: Actor, publisher: string, network: string): Promise<ActionResult>;
  resume(actor: Actor, publisher: string, network: string): Promise<ActionResult>;
  retryJob(actor: Actor, jobId: string): Promise<ActionResult>;
  retryClass(actor: Actor, errorClass: string): Promise<ActionResult>;
  cancel(actor: Actor, publisher: string, key: string): Promise<ActionResult>;
  /** The three answers to a post in doubt (src/state/doubt.ts): audited as mark-posted, mark-not-posted, send-anyway. */
  doubt(actor: Actor, action: DoubtAction, publisher: string, network: string, key: string, found?: { remoteId?: string; permalink?: string }): Promise<ActionResult>;
}

export const DOUBT_ACTIONS = ['mark-posted', 'mark-not-posted', 'send-anyway'] as const;
export type DoubtAction = typeof DOUBT_ACTIONS[number];

/** An error that means "no such thing" rather than "it broke" (older messages, before NotFoundError). */
const looksNotFound = (e: unknown) => e instanceof NotFoundError || /not found|unknown|no such|does not exist|missing/i.test((e as Error)?.message ?? '');

interface Entry { action: string; target: string; publisher?: string; network?: NetworkName; errorClass?: ErrorClass }

export function createActions(publishers: PublisherInfo[], logger: Logger): Actions {
  const known = new Set(publishers.map((p) => p.id));
  /** Only a configured publisher is named in an entry: ids typed into a URL must not make new lists. */
  const pubOf = (id: string | undefined) => (id && known.has(id) ? id : undefined);

  async function run(actor: Actor, e: Entry, fn: () => Promise<ActionResult & { ok: true }>): Promise<ActionResult> {
    let result: ActionResult;
    try {
      result = await fn();
    } catch (err) {
      if (err instanceof OutOfScopeError) result = { ok: false, status: 403, error: err.why === 'read-only' ? 'read-only' : 'outside your offices' };
      else if (looksNotFound(err)) result = { ok: false, status: 404, error: (err as Error).message };
      else {
        logger.error({ err, action: e.action, target: e.target }, 'operator action failed');
        // The operator service promises secret-free messages; still, a 500 says nothing about internals.
        result = { ok: false, status: 500, error: 'action failed' };
      }
    }
    const count = result.ok ? result.retried ?? result.released : undefined;
    const publisher = pubOf(e.publisher);
    await actor.operator.recordAudit({
      at: Date.now(), who: actor.name, action: e.action, target: e.target, via: actor.via,
      result: result.ok ? 'ok' : result.status === 403 ? 'denied' : 'error',
      ...(result.ok ? {} : { detail: result.error }),
      ...(count !== undefined ? { count } : {}),
      ...(publisher ? { publisher } : {}), ...(e.network ? { network: e.network } : {}), ...(e.errorClass ? { errorClass: e.errorClass } : {}),
    }).catch((err) => logger.error({ err }, 'audit write failed'));
    return result;
  }

  const networkOf = (network: string): NetworkName | undefined => (isNetwork(network) ? network : undefined);
  /** An unknown network is "not found", but only after the scope had its say (403 tells nothing about what exists). */
  const unknownChannel = (op: OperatorService, publisher: string, network: string): never => {
    assertMayAct(op.scope, publisher);
    throw new NotFoundError(`unknown channel ${publisher}/${network}`);
  };

  return {
    async pause(actor, publisher, network) {
      const net = networkOf(network);
      return run(actor, { action: 'pause', target: `${publisher}/${network}`, publisher, ...(net ? { network: net } : {}) }, async () => {
        if (!net) unknownChannel(actor.operator, publisher, network);
        await actor.operator.pause(publisher, net!, actor.name);
        return { ok: true };
      });
    },
    async resume(actor, publisher, network) {
      const net = networkOf(network);
      return run(actor, { action: 'resume', target: `${publisher}/${network}`, publisher, ...(net ? { network: net } : {}) }, async () => {
        if (!net) unknownChannel(actor.operator, publisher, network);
        return { ok: true, released: (await actor.operator.resume(publisher, net!, actor.name)).released };
      });
    },
    async retryJob(actor, jobId) {
      if (!jobId || jobId.length > 300) return { ok: false, status: 404, error: 'unknown job' };
      // Job ids name their publisher and network (kind.publisher.network.key…).
      const [, publisher, network] = jobId.split('.');
      const net = network ? networkOf(network) : undefined;
      return run(actor, { action: 'retry', target: jobId, ...(publisher ? { publisher } : {}), ...(net ? { network: net } : {}) }, async () => {
        await actor.operator.retryJob(jobId, actor.name);
        return { ok: true };
      });
    },
    async retryClass(actor, errorClass) {
      const cls = ERROR_CLASSES.find((c) => c === errorClass);
      if (!cls) return { ok: false, status: 404, error: `unknown error class ${errorClass}` };
      const op = actor.operator;
      if (!op.scope.mayAct) return run(actor, { action: 'retry-group', target: cls, errorClass: cls }, async () => { assertMayAct(op.scope); return { ok: true }; });
      // One entry per office, so that each office reads its own part of the bulk retry.
      const items = (await op.failures())[cls] ?? [];
      const offices = [...new Set(items.map((i) => i.publisher))];
      if (!offices.length) return run(actor, { action: 'retry-group', target: cls, errorClass: cls }, async () => ({ ok: true, retried: 0 }));
      let total = 0;
      let last: ActionResult = { ok: true, retried: 0 };
      for (const office of offices) {
        last = await run(actor, { action: 'retry-group', target: cls, publisher: office, errorClass: cls }, async () =>
          ({ ok: true, retried: await op.forScope(scopeOf([office], true)).retryFailures(cls, actor.name) }));
        if (last.ok) total += last.retried ?? 0;
      }
      return last.ok ? { ok: true, retried: total } : last;
    },
    async doubt(actor, action, publisher, network, key, found = {}) {
      const net = networkOf(network);
      if (!key || key.length > 300) return { ok: false, status: 404, error: 'unknown offer' };
      return run(actor, { action, target: `${publisher}/${network}/${key}`, publisher, ...(net ? { network: net } : {}) }, async () => {
        if (!net) unknownChannel(actor.operator, publisher, network);
        const op = actor.operator;
        if (action === 'mark-posted') {
          // Only an address of the web is kept as the post's link (it is shown as one).
          const permalink = found.permalink && /^https?:\/\//i.test(found.permalink.trim()) ? found.permalink.trim().slice(0, 500) : undefined;
          const remoteId = found.remoteId?.trim().slice(0, 200) || undefined;
          await op.markPosted(publisher, net!, key, actor.name, { ...(remoteId ? { remoteId } : {}), ...(permalink ? { permalink } : {}) });
        } else if (action === 'mark-not-posted') await op.markNotPosted(publisher, net!, key, actor.name);
        else await op.sendAnyway(publisher, net!, key, actor.name);
        return { ok: true };
      });
    },
    async cancel(actor, publisher, key) {
      if (!key || key.length > 300) return { ok: false, status: 404, error: 'unknown offer' };
      return run(actor, { action: 'cancel', target: `${publisher}/${key}`, publisher }, async () => {
        await actor.operator.cancelOffer(publisher, key, actor.name);
        return { ok: true };
      });
    },
  };
}
