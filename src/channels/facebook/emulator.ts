// SPDX-License-Identifier: EUPL-1.2
/**
 * Facebook Graph API emulator (Pages): publish, edit, delete and read Page posts, /me with a Page token,
 * Graph's JSON error bodies keyed by `code`, the BUC/app usage headers, and controls to script failures
 * (see /work/shared/api-contracts.md C, D and G). The real `facebook-nodejs-business-sdk` is pointed here
 * by src/channels/facebook/sdk.ts.
 *
 * Graph's real modes beyond the happy path: a Page temporarily blocked for policy (#368, `setBlocked`,
 * with the body Facebook sends), user tokens (`addUser`: GET /me answers the person, not a Page, and
 * publishing to a Page with one is #200), the three kinds of lost answer (src/sandbox/emulators/faults.ts),
 * and duplicates refused as Facebook does (#506, the same message right after itself) unless
 * `setAcceptDuplicates(true)`.
 */
import type * as http from 'node:http';
import { randomBytes } from 'node:crypto';
import { startServer, sendJson, parseBody, handleControl, type RunningServer } from '../../sandbox/emulators/http-kit.ts';
import { FaultPlan, WindowCounter, type FailSpec, type FaultRates, type LimitWindow } from '../../sandbox/emulators/faults.ts';

export interface GraphPost {
  /** "{pageId}_{storyId}" */
  id: string;
  pageId: string;
  message: string;
  link?: string;
  createdAt: string;
  deleted: boolean;
  /** Earlier versions, oldest first, each replaced by an edit. */
  history: { message: string; link?: string; replacedAt: string }[];
}

export interface GraphLimits {
  /** Calls per Page (any call naming the Page or one of its posts) → code 80001. */
  perPage?: LimitWindow[];
  /** Calls per app (all calls) → code 4. */
  perApp?: LimitWindow[];
}

export interface GraphPage { id: string; name: string; token?: string }
/** A person and their user access token: GET /me answers them, and they cannot publish as a Page. */
export interface GraphUser { id: string; name: string; token: string }

export interface GraphEmulatorOptions {
  port?: number;
  host?: string;
  limits?: GraphLimits;
  pages?: GraphPage[];
  users?: GraphUser[];
  /** Accept the same message twice in a row (default false: #506, as Facebook does). */
  acceptDuplicates?: boolean;
}

/** A forced usage report for a Page, sent in x-business-use-case-usage on every answer about it. */
export interface UsageOverride { call_count?: number; total_cputime?: number; total_time?: number; estimated_time_to_regain_access?: number }

export interface GraphEmulator {
  url: string;
  close(): Promise<void>;
  posts(): GraphPost[];
  /** Declares a Page, and the token that stands for it (so GET /me can answer it before any other call). */
  addPage(page: GraphPage): void;
  /** Every later call with this token answers code 190 with this subcode (463 expired by default, 460 password changed). */
  revoke(token: string, subcode?: number): void;
  unrevoke(token: string): void;
  /**
   * Fail the next N publishes (POST /{page}/feed), or with match 'any' the next N calls of any kind.
   * Give `body` (JSON or raw text with contentType, e.g. an HTML 502), or just `code` (+ subcode,
   * transient, message) for a Graph error body.
   */
  failNext(count: number, spec: GraphFailSpec): void;
  /** Commit-then-drop the next N publishes (the post is stored, the socket destroyed). */
  dropNext(count?: number): void;
  commitThenDropNext(count?: number): void;
  setDropProbability(p: number): void;
  /** Hang-before-commit the next N publishes (nothing stored, no answer). */
  hangNext(count?: number): void;
  hangBeforeCommitNext(count?: number): void;
  /** Commit-then-hang the next N publishes (stored, no answer). */
  commitThenHangNext(count?: number): void;
  setFaultRates(rates: FaultRates): void;
  setSeed(seed: number | null): void;
  setLimits(limits: GraphLimits): void;
  /** Declares a person and their user token. */
  addUser(user: GraphUser): void;
  /** While on, every publish, edit or delete of this Page answers #368 (temporarily blocked for policy). */
  setBlocked(pageId: string, on: boolean): void;
  setAcceptDuplicates(on: boolean): void;
  setUsage(pageId: string, usage: UsageOverride | null): void;
  reset(): void;
}

export type GraphFailSpec = FailSpec & { match?: 'post' | 'any'; code?: number; subcode?: number; transient?: boolean; message?: string };

const DEFAULT_LIMITS: Required<GraphLimits> = { perPage: [], perApp: [] };

export function graphError(code: number, message: string, extra: { subcode?: number; transient?: boolean; userTitle?: string; userMsg?: string } = {}) {
  const error: Record<string, unknown> = { message, type: 'OAuthException', code };
  if (extra.subcode !== undefined) error.error_subcode = extra.subcode;
  if (extra.transient !== undefined) error.is_transient = extra.transient;
  if (extra.userTitle !== undefined) error.error_user_title = extra.userTitle;
  if (extra.userMsg !== undefined) error.error_user_msg = extra.userMsg;
  error.fbtrace_id = randomBytes(8).toString('base64url');
  return { error };
}

/**
 * What Facebook answers a Page blocked for going too fast (#368). The code and its meaning are in Graph's
 * error-handling reference ("Temporarily blocked for policies violations"); subcode 1390008, the title
 * and the user message are as people report them (Schmavery/facebook-chat-api#847,
 * facebookarchive/php-graph-sdk#1047); HTTP 400 like most Graph errors. The exact combination is
 * [UNVERIFIED] against a live Page; rules key on `code` only.
 */
export function graphBlocked() {
  return graphError(368, 'It looks like you were misusing this feature by going too fast. You’ve been temporarily blocked from using it.', { subcode: 1390008, transient: true, userTitle: "You Can't Use This Feature Right Now", userMsg: 'We limit how often you can post, comment or do other things in a given amount of time in order to help protect the community from spam. You can try again later.' });
}

const fbTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');

export async function startGraphEmulator(opts: GraphEmulatorOptions = {}): Promise<GraphEmulator> {
  let posts: GraphPost[] = [];
  // Per-Page index (creation order) and by id, so duplicate checks and reads stay cheap under load.
  let byPage = new Map<string, GraphPost[]>();
  let byId = new Map<string, GraphPost>();
  const pagePosts = (pageId: string) => byPage.get(pageId) ?? [];
  let limits: Required<GraphLimits> = { perPage: opts.limits?.perPage ?? [], perApp: opts.limits?.perApp ?? [] };
  const pages = new Map<string, GraphPage>();
  const tokenPage = new Map<string, string>();
  const userOf = new Map<string, GraphUser>();
  const blocked = new Set<string>();
  let acceptDuplicates = opts.acceptDuplicates ?? false;
  const revoked = new Map<string, number>();
  const usage = new Map<string, UsageOverride>();
  const postFaults = new FaultPlan();
  const anyFaults = new FaultPlan();
  const counters = new WindowCounter();
  let story = BigInt(Date.now()) * 1000n;

  const addPage = (p: GraphPage) => {
    pages.set(p.id, { ...p });
    if (p.token) tokenPage.set(p.token, p.id);
  };
  for (const p of opts.pages ?? []) addPage(p);
  const addUser = (u: GraphUser) => void userOf.set(u.token, { ...u });
  for (const u of opts.users ?? []) addUser(u);

  /** The Page a call is about: the node itself, or the page part of a "{page}_{story}" id. */
  const pageOf = (node: string): string | undefined => (/^\d+$/.test(node) ? node : /^(\d+)_\d+$/.exec(node)?.[1]);

  function usageHeaders(pageId: string | undefined, now: number): Record<string, string> {
    const h: Record<string, string> = {};
    if (pageId) {
      let pct = 0;
      let regain = 0;
      for (const w of limits.perPage) {
        const s = counters.peek(`p:${pageId}`, w, now);
        pct = Math.max(pct, Math.round((s.used / w.max) * 100));
        if (s.remaining === 0) regain = Math.max(regain, Math.ceil((s.resetAt - now) / 60_000));
      }
      const o = usage.get(pageId) ?? {};
      h['x-business-use-case-usage'] = JSON.stringify({
        [pageId]: [{ type: 'pages', call_count: o.call_count ?? pct, total_cputime: o.total_cputime ?? Math.min(pct, 1), total_time: o.total_time ?? Math.min(pct, 1), estimated_time_to_regain_access: o.estimated_time_to_regain_access ?? regain }],
      });
    }
    if (limits.perApp.length) {
      let pct = 0;
      for (const w of limits.perApp) pct = Math.max(pct, Math.round((counters.peek('app', w, now).used / w.max) * 100));
      h['x-app-usage'] = JSON.stringify({ call_count: pct, total_time: Math.min(pct, 1), total_cputime: Math.min(pct, 1) });
    }
    return h;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/__control/')) return handleControl(controls, req, res, body);
    const now = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const segs = url.pathname.replace(/^\/v\d+\.\d+(?=\/)/, '').split('/').filter(Boolean);
    const params = { ...Object.fromEntries(url.searchParams), ...parseBody(req, body) };
    const token = typeof params.access_token === 'string' ? params.access_token : String(req.headers.authorization ?? '').replace(/^(Bearer|OAuth)\s+/i, '');
    const node = segs[0] ?? '';
    const edge = segs[1];
    const user = userOf.get(token);
    const pageId = node === 'me' ? tokenPage.get(token) : pageOf(node);
    const isPublish = method === 'POST' && edge === 'feed' && segs.length === 2;
    const answer = (status: number, b: unknown) => sendJson(res, status, b, usageHeaders(pageId, Date.now()));

    const fault = anyFaults.take() ?? (isPublish ? postFaults.take() : undefined);
    if (fault?.kind === 'hang') return;
    if (!token) return answer(400, graphError(2500, 'An active access token must be used to query information about the current user.'));
    const sub = revoked.get(token);
    if (sub !== undefined) {
      return answer(400, graphError(190, sub === 460
        ? 'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.'
        : 'Error validating access token: Session has expired.', { subcode: sub }));
    }
    if (pageId && !user && !tokenPage.has(token)) tokenPage.set(token, pageId);
    if (limits.perApp.some((w) => counters.peek('app', w, now).remaining === 0)) {
      return answer(400, graphError(4, '(#4) Application request limit reached', { transient: true }));
    }
    if (pageId && limits.perPage.some((w) => counters.peek(`p:${pageId}`, w, now).remaining === 0)) {
      return answer(400, graphError(80001, '(#80001) There have been too many calls to this Page account. Wait a bit and try again. For more info, please refer to https://developers.facebook.com/docs/graph-api/overview/rate-limiting.', { transient: true }));
    }
    for (const w of limits.perApp) counters.hit('app', w, now);
    if (pageId) for (const w of limits.perPage) counters.hit(`p:${pageId}`, w, now);
    if (fault?.kind === 'fail') {
      const { status, body: b, contentType, headers } = fault.spec;
      return sendJson(res, status, b ?? '', { ...usageHeaders(pageId, Date.now()), ...headers }, contentType ?? (typeof b === 'string' ? 'text/html; charset=utf-8' : undefined));
    }

    if (node === 'me' && method === 'GET' && segs.length === 1) {
      if (user) return answer(200, { id: user.id, name: user.name });
      if (!pageId) return answer(400, graphError(190, 'Invalid OAuth access token - Cannot parse access token', { subcode: 467 }));
      return answer(200, { id: pageId, name: pages.get(pageId)?.name ?? `Emulated Page ${pageId}` });
    }
    const changesPage = method !== 'GET' && pageId !== undefined && (isPublish || (segs.length === 1 && /^\d+_\d+$/.test(node)));
    if (changesPage && blocked.has(pageId!)) return answer(400, graphBlocked());
    if (changesPage && user) {
      return answer(403, graphError(200, '(#200) If posting to a page, requires both pages_read_engagement and pages_manage_posts as an admin with sufficient administrative permission'));
    }
    if (isPublish && pageId) {
      const message = typeof params.message === 'string' ? params.message : '';
      const link = typeof params.link === 'string' ? params.link : undefined;
      if (!message && !link) return answer(400, graphError(100, '(#100) Missing message or attachment'));
      const last = pagePosts(pageId).findLast((p) => !p.deleted);
      if (!acceptDuplicates && last && last.message === message && message) return answer(400, graphError(506, '(#506) Duplicate status message'));
      story += 1n;
      const post: GraphPost = { id: `${pageId}_${story}`, pageId, message, link, createdAt: fbTime(now), deleted: false, history: [] };
      posts.push(post);
      byId.set(post.id, post);
      if (!byPage.has(pageId)) byPage.set(pageId, []);
      byPage.get(pageId)!.push(post);
      if (fault?.kind === 'drop') { res.socket?.destroy(); return; }
      if (fault?.kind === 'commit-hang') return; // stored; the answer never comes
      return answer(200, { id: post.id });
    }
    if ((edge === 'feed' || edge === 'published_posts') && method === 'GET' && pageId && segs.length === 2) {
      return listPosts(pageId, url, answer);
    }
    if (segs.length === 1 && /^\d+_\d+$/.test(node)) {
      const post = byId.get(node);
      if (!post || post.deleted) {
        return answer(400, graphError(100, `Unsupported ${method.toLowerCase()} request. Object with ID '${node}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, { subcode: 33 }));
      }
      if (method === 'GET') return answer(200, view(post, fieldsOf(url)));
      if (method === 'DELETE') { post.deleted = true; return answer(200, { success: true }); }
      if (method === 'POST') {
        post.history.push({ message: post.message, link: post.link, replacedAt: fbTime(now) });
        if (typeof params.message === 'string') post.message = params.message;
        return answer(200, { success: true });
      }
    }
    if (segs.length === 1 && /^\d+$/.test(node) && method === 'GET') {
      return answer(200, { id: node, name: pages.get(node)?.name ?? `Emulated Page ${node}` });
    }
    answer(400, graphError(100, `Unsupported ${method.toLowerCase()} request.`));
  }

  const fieldsOf = (url: URL) => (url.searchParams.get('fields') ?? 'id,message,created_time').split(',').filter(Boolean);
  function view(p: GraphPost, fields: string[]) {
    const all: Record<string, unknown> = { id: p.id, message: p.message, link: p.link, created_time: p.createdAt, permalink_url: `https://www.facebook.com/${p.id}` };
    return Object.fromEntries(fields.filter((f) => all[f] !== undefined).map((f) => [f, all[f]]).concat([['id', p.id]]));
  }
  function listPosts(pageId: string, url: URL, answer: (s: number, b: unknown) => void) {
    const limit = Math.max(1, Math.min(100, Number(url.searchParams.get('limit') ?? 25) || 25));
    const after = url.searchParams.get('after');
    const start = after ? Number(Buffer.from(after, 'base64url').toString()) || 0 : 0;
    const since = Number(url.searchParams.get('since')) * 1000 || 0;
    const mine = pagePosts(pageId).filter((p) => !p.deleted && Date.parse(p.createdAt.replace('+0000', 'Z')) >= since).reverse();
    const data = mine.slice(start, start + limit).map((p) => view(p, fieldsOf(url)));
    const cursor = (n: number) => Buffer.from(String(n)).toString('base64url');
    const paging: Record<string, unknown> = { cursors: { before: cursor(start), after: cursor(start + data.length) } };
    if (start + limit < mine.length) {
      const next = new URL(url.toString());
      next.searchParams.set('after', cursor(start + limit));
      next.searchParams.delete('access_token');
      paging.next = `${server.url}${next.pathname}${next.search}`;
    }
    answer(200, { data, paging });
  }

  const controls = {
    posts: () => posts.map((p) => ({ ...p, history: p.history.map((h) => ({ ...h })) })),
    addPage,
    addUser,
    setBlocked: (pageId: string, on: boolean) => void (on ? blocked.add(String(pageId)) : blocked.delete(String(pageId))),
    setAcceptDuplicates: (on: boolean) => { acceptDuplicates = Boolean(on); },
    revoke: (t: string, subcode = 463) => void revoked.set(t, subcode),
    unrevoke: (t: string) => void revoked.delete(t),
    failNext: (count: number, spec: GraphFailSpec) => {
      // #368 without words of its own gets the body Facebook sends for it.
      const body = spec.body === undefined && spec.code === 368 && spec.message === undefined ? graphBlocked()
        : spec.body === undefined && spec.code !== undefined ? graphError(spec.code, spec.message ?? `(#${spec.code}) Emulated failure`, { subcode: spec.subcode, transient: spec.transient })
          : spec.body;
      const full: FailSpec = { ...spec, body };
      (spec.match === 'any' ? anyFaults : postFaults).failNext(count, full);
    },
    dropNext: (count = 1) => postFaults.dropNext(count),
    commitThenDropNext: (count = 1) => postFaults.dropNext(count),
    setDropProbability: (p: number) => postFaults.setDropProbability(p),
    hangNext: (count = 1) => postFaults.hangNext(count),
    hangBeforeCommitNext: (count = 1) => postFaults.hangNext(count),
    commitThenHangNext: (count = 1) => postFaults.commitThenHangNext(count),
    setFaultRates: (r: FaultRates) => postFaults.setRates(r),
    setSeed: (seed: number | null) => postFaults.setSeed(seed),
    setLimits: (l: GraphLimits) => { limits = { perPage: l.perPage ?? DEFAULT_LIMITS.perPage, perApp: l.perApp ?? DEFAULT_LIMITS.perApp }; counters.clear(); },
    setUsage: (pageId: string, u: UsageOverride | null) => void (u ? usage.set(pageId, u) : usage.delete(pageId)),
    reset: () => { posts = []; byPage = new Map(); byId = new Map(); revoked.clear(); usage.clear(); blocked.clear(); postFaults.clear(); anyFaults.clear(); counters.clear(); },
  };

  const server: RunningServer = await startServer(handle, opts);
  return { url: server.url, close: server.close, ...controls };
}
