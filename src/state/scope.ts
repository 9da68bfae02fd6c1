// SPDX-License-Identifier: EUPL-1.2
/**
 * What one view of the operator service may see and do: the publishers (offices) it covers and whether
 * it may act. The dashboard narrows the service to the signed-in person's scope for every request, so
 * pages, the JSON API, live updates and bulk actions all read and act through the same filter; the CLI
 * uses the unrestricted scope (whoever holds the config and Redis already holds everything).
 *
 * The rule every OperatorService method follows (and the contract suite in test/operator checks):
 *  - a read that lists things returns only those of publishers the scope `sees`;
 *  - a read that names a publisher the scope does not see throws OutOfScopeError (the dashboard: 403);
 *  - an action first calls `assertMayAct(scope, publisher)`, which throws OutOfScopeError for a
 *    read-only scope (a viewer) or a publisher outside the scope, before anything is read or changed.
 */

export interface Scope {
  /** Publisher ids this view covers; '*' for every publisher, now and later. */
  readonly publishers: '*' | readonly string[];
  /** False for a view that may only read (a viewer). */
  readonly mayAct: boolean;
}

export const FULL_SCOPE: Scope = Object.freeze({ publishers: '*', mayAct: true });

export function scopeOf(publishers: '*' | readonly string[], mayAct: boolean): Scope {
  return Object.freeze({ publishers: publishers === '*' || publishers.includes('*') ? '*' : Object.freeze([...new Set(publishers)]), mayAct });
}

/** True when the scope covers every publisher. */
export function isUnrestricted(scope: Scope): boolean {
  return scope.publishers === '*';
}

export function sees(scope: Scope, publisher: string): boolean {
  return scope.publishers === '*' || scope.publishers.includes(publisher);
}

/** The part of `outer` that `inner` also allows: a view can be narrowed, never widened. */
export function narrow(outer: Scope, inner: Scope): Scope {
  const publishers = outer.publishers === '*' ? inner.publishers
    : inner.publishers === '*' ? outer.publishers
      : outer.publishers.filter((p) => (inner.publishers as readonly string[]).includes(p));
  return scopeOf(publishers, outer.mayAct && inner.mayAct);
}

/** Refused because of the scope: the dashboard answers 403 and audits the attempt. */
export class OutOfScopeError extends Error {
  readonly status = 403;
  constructor(readonly why: 'publisher' | 'read-only', readonly publisher?: string) {
    super(why === 'read-only' ? 'this view may only read' : `publisher ${publisher ?? '?'} is outside this view`);
    this.name = 'OutOfScopeError';
  }
}

/** The thing named does not exist (an unknown channel, job or offer): the dashboard answers 404. */
export class NotFoundError extends Error {
  readonly status = 404;
  constructor(message: string) { super(message); this.name = 'NotFoundError'; }
}

export function assertSees(scope: Scope, publisher: string): void {
  if (!sees(scope, publisher)) throw new OutOfScopeError('publisher', publisher);
}

/** Call first in every action: a viewer may never act, and nobody acts outside their offices. */
export function assertMayAct(scope: Scope, publisher?: string): void {
  if (!scope.mayAct) throw new OutOfScopeError('read-only', publisher);
  if (publisher !== undefined) assertSees(scope, publisher);
}
