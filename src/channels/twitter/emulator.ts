// SPDX-License-Identifier: EUPL-1.2
/**
 * X API v2 emulator: the subset Banditore calls (POST/DELETE /2/tweets, GET /2/users/me,
 * GET /2/users/:id/tweets), with X's own bodies and headers (api-contracts.md A and G), stateful
 * duplicate and rate-limit logic, and controls to script failures. The real `twitter-api-v2` SDK is
 * pointed here by src/channels/twitter/sdk.ts.
 *
 * X's real modes, each with X's own answer:
 *   - tiers: `free` serves only POST /2/tweets, DELETE /2/tweets/:id and GET /2/users/me; every other
 *     read is 403 `client-not-enrolled` (api-contracts.md A2). `basic` and `pro` also serve the timeline.
 *     The default is `free`, the tier the service's default limits (17 posts a day) assume; a test picks
 *     another for the whole emulator or for one token (`setTier`);
 *   - the token's access level, sent as `x-access-level` on every answer (`read`, `read-write`,
 *     `read-write-directmessages`); a `read` token's writes get 403 `oauth1-permissions`
 *     (plhery/node-twitter-api-v2#493);
 *   - a suspended account: 403 `user-suspended` on every call (akrherz/iembot#156);
 *   - three kinds of lost answer (src/sandbox/emulators/faults.ts): hang-before-commit, commit-then-drop,
 *     commit-then-hang;
 *   - duplicates: refused as X does (403 "duplicate content") unless `setAcceptDuplicates(true)`, with
 *     which only the service's own ledger keeps a post single.
 */
import type * as http from 'node:http';
import { createHash } from 'node:crypto';
import twitterText from 'twitter-text';
import { startServer, sendJson, parseBody, parseOAuthHeader, handleControl, type RunningServer } from '../../sandbox/emulators/http-kit.ts';
import { FaultPlan, WindowCounter, type FailSpec, type FaultRates, type LimitWindow } from '../../sandbox/emulators/faults.ts';

export interface XPost {
  id: string;
  text: string;
  userId: string;
  /** The OAuth consumer key (app) that created it. */
  appKey: string;
  createdAt: string;
  deleted: boolean;
}

export interface XLimits {
  /** Per user. The first window shorter than 24 h drives x-rate-limit-*; a 24 h (or longer) one drives x-user-limit-24hour-*. */
  perUser?: LimitWindow[];
  /** Per app (consumer key); a 24 h (or longer) one drives x-app-limit-24hour-*. */
  perApp?: LimitWindow[];
}

/** What the app's access level lets it call (X's self-serve tiers). */
export type XTier = 'free' | 'basic' | 'pro';
/** The OAuth 1.0a token's permission, as X reports it in `x-access-level`. */
export type XAccessLevel = 'read' | 'read-write' | 'read-write-directmessages';

export interface XEmulatorOptions {
  port?: number;
  host?: string;
  limits?: XLimits;
  /** Default `free`. */
  tier?: XTier;
  /** Accept identical text from one user (default false: 403 duplicate content, as X does). */
  acceptDuplicates?: boolean;
}

export interface XEmulator {
  url: string;
  close(): Promise<void>;
  posts(): XPost[];
  /** Every later call with this access token answers 401. */
  revoke(accessToken: string): void;
  unrevoke(accessToken: string): void;
  /** Monthly usage cap reached: POST /2/tweets answers 429 usage-capped while x-rate-limit-remaining stays > 0. */
  setUsageCapped(on: boolean): void;
  failNext(count: number, spec: FailSpec): void;
  /** Commit-then-drop: store the next N posts, then destroy the socket without answering. */
  dropNext(count?: number): void;
  commitThenDropNext(count?: number): void;
  /** Commit-then-drop a random share of the posts. */
  setDropProbability(p: number): void;
  /** Hang-before-commit: never store and never answer the next N posts. */
  hangNext(count?: number): void;
  hangBeforeCommitNext(count?: number): void;
  /** Commit-then-hang: store the next N posts and never answer them. */
  commitThenHangNext(count?: number): void;
  /** Commit-late: the next N posts are counted, stored and answered only `delayMs` after they arrive. */
  commitLateNext(count: number, delayMs: number): void;
  /** Random shares of the three lost-answer kinds, for chaos runs. */
  setFaultRates(rates: FaultRates): void;
  /** Seeds the random fault rolls (null: Math.random). */
  setSeed(seed: number | null): void;
  setLimits(limits: XLimits): void;
  /** The tier of the whole emulator, or (with a token) of that token's app only. */
  setTier(tier: XTier, accessToken?: string): void;
  setAccessLevel(accessToken: string, level: XAccessLevel): void;
  suspend(accessToken: string): void;
  unsuspend(accessToken: string): void;
  setAcceptDuplicates(on: boolean): void;
  /** Forget posts, counters, faults, revocations, suspensions and per-token settings (limits, tier and the duplicate switch stay). */
  reset(): void;
  /** The user an access token stands for (id and username), as GET /2/users/me answers it. */
  userFor(accessToken: string): { id: string; username: string; name: string };
}

const FIFTEEN_MIN = 15 * 60_000;
const DAY = 86_400_000;
// Generous by default so load tests are not throttled; tests that need X's real numbers set them.
const DEFAULT_LIMITS: Required<XLimits> = { perUser: [{ max: 100_000, windowMs: FIFTEEN_MIN }], perApp: [] };
const TWITTER_EPOCH = 1288834974657n;

const problem = {
  unauthorized: { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' },
  duplicate: { detail: 'You are not allowed to create a Tweet with duplicate content.', type: 'about:blank', title: 'Forbidden', status: 403 },
  tooMany: { title: 'Too Many Requests', detail: 'Too Many Requests', type: 'about:blank', status: 429 },
  notFound: { title: 'Not Found Error', detail: 'Could not find the requested resource.', type: 'https://api.twitter.com/2/problems/resource-not-found', status: 404 },
  // A read-only token's write (plhery/node-twitter-api-v2#493).
  readOnly: { title: 'Forbidden', status: 403, detail: 'Your client app is not configured with the appropriate oauth1 app permissions for this endpoint.', type: 'https://api.twitter.com/2/problems/oauth1-permissions' },
  // Any call made for a suspended user (akrherz/iembot#156).
  suspended: { detail: 'The user used for authentication is suspended', title: 'Forbidden', status: 403, type: 'https://api.twitter.com/2/problems/user-suspended' },
};

/** An endpoint the app's access level does not include (the Free tier's timeline): api-contracts.md A2. */
export function clientNotEnrolled(clientId: string) {
  return {
    client_id: clientId,
    detail: 'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.',
    registration_url: 'https://developer.twitter.com/en/docs/projects/overview',
    title: 'Client Forbidden',
    required_enrollment: 'Appropriate Level of API Access',
    reason: 'client-not-enrolled',
    type: 'https://api.twitter.com/2/problems/client-forbidden',
  };
}

/** What each tier serves beyond the Free tier's three endpoints. */
const TIER_READS_TIMELINE: Record<XTier, boolean> = { free: false, basic: true, pro: true };

function usageCapped(accountId: string) {
  return { account_id: accountId, product_name: 'standard-basic', title: 'UsageCapExceeded', period: 'Monthly', scope: 'Product', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.twitter.com/2/problems/usage-capped' };
}

function invalidRequest(message: string, parameters: Record<string, unknown>) {
  return { errors: [{ parameters, message }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' };
}

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
/** X's numeric client id of an app, stable per consumer key. */
const clientIdOf = (appKey: string) => BigInt('0x' + hex(`client:${appKey}`).slice(0, 12)).toString();

export function xUserFor(accessToken: string): { id: string; username: string; name: string } {
  const h = hex(accessToken);
  // A stable, numeric, snowflake-sized id per token: every distinct token is a distinct user.
  return { id: BigInt('0x' + h.slice(0, 15)).toString(), username: `user_${h.slice(0, 8)}`, name: `Emulated user ${h.slice(0, 4)}` };
}

/** X's own view of a text's links: each URL as t.co, with the expanded URL that the text had. */
function urlEntities(text: string) {
  const found = twitterText.extractUrlsWithIndices(text);
  // twitter-text ignores links to bare IP addresses and "localhost"; the sandbox serves its offers on
  // 127.0.0.1, so the emulator links those too, or nothing posted in the sandbox could be found again.
  for (const m of text.matchAll(/https?:\/\/(?:\d{1,3}(?:\.\d{1,3}){3}|localhost)(?::\d+)?[^\s]*/g)) {
    const start = m.index ?? 0;
    if (!found.some((f) => f.indices[0] <= start && start < f.indices[1])) found.push({ url: m[0], indices: [start, start + m[0].length] });
  }
  found.sort((a, b) => a.indices[0] - b.indices[0]);
  return found.map((u, i) => {
    const expanded = /^https?:\/\//i.test(u.url) ? u.url : `http://${u.url}`;
    const [start, end] = u.indices;
    return { start, end, url: `https://t.co/emu${hex(expanded).slice(0, 7)}${i}`, expanded_url: expanded, display_url: expanded.replace(/^https?:\/\//i, '').slice(0, 30) };
  });
}

export async function startXEmulator(opts: XEmulatorOptions = {}): Promise<XEmulator> {
  let posts: XPost[] = [];
  // Indexes so duplicate checks and timelines stay O(1)/O(own posts) under load tests.
  let byUser = new Map<string, XPost[]>();
  let liveText = new Set<string>();
  const textKey = (userId: string, text: string) => `${userId}\n${text}`;
  let limits: Required<XLimits> = { perUser: opts.limits?.perUser ?? DEFAULT_LIMITS.perUser, perApp: opts.limits?.perApp ?? DEFAULT_LIMITS.perApp };
  const revoked = new Set<string>();
  const suspended = new Set<string>();
  let tier: XTier = opts.tier ?? 'free';
  const tierOf = new Map<string, XTier>();
  const accessOf = new Map<string, XAccessLevel>();
  let acceptDuplicates = opts.acceptDuplicates ?? false;
  const faults = new FaultPlan();
  const counters = new WindowCounter();
  let capped = false;
  let seq = 0n;

  const nextId = (): string => {
    seq = (seq + 1n) & 0xfffn;
    return (((BigInt(Date.now()) - TWITTER_EPOCH) << 22n) | (1n << 12n) | seq).toString();
  };

  /** The POST /2/tweets limit headers for this user and app, as X sends them on every answer. */
  function limitHeaders(userKey: string, appKey: string, now: number): Record<string, string> {
    const h: Record<string, string> = {};
    const short = limits.perUser.find((w) => w.windowMs < DAY) ?? { max: 100_000, windowMs: FIFTEEN_MIN };
    const s = counters.peek(`u:${userKey}`, short, now);
    h['x-rate-limit-limit'] = String(short.max);
    h['x-rate-limit-remaining'] = String(s.remaining);
    h['x-rate-limit-reset'] = String(Math.ceil(s.resetAt / 1000));
    const userDay = limits.perUser.find((w) => w.windowMs >= DAY);
    if (userDay) {
      const d = counters.peek(`u:${userKey}`, userDay, now);
      Object.assign(h, { 'x-user-limit-24hour-limit': String(userDay.max), 'x-user-limit-24hour-remaining': String(d.remaining), 'x-user-limit-24hour-reset': String(Math.ceil(d.resetAt / 1000)) });
    }
    const appDay = limits.perApp.find((w) => w.windowMs >= DAY);
    if (appDay) {
      const d = counters.peek(`a:${appKey}`, appDay, now);
      Object.assign(h, { 'x-app-limit-24hour-limit': String(appDay.max), 'x-app-limit-24hour-remaining': String(d.remaining), 'x-app-limit-24hour-reset': String(Math.ceil(d.resetAt / 1000)) });
    }
    return h;
  }

  function overLimit(userKey: string, appKey: string, now: number): boolean {
    return limits.perUser.some((w) => counters.peek(`u:${userKey}`, w, now).remaining === 0)
      || limits.perApp.some((w) => counters.peek(`a:${appKey}`, w, now).remaining === 0);
  }

  function createTweet(res: http.ServerResponse, req: http.IncomingMessage, body: string, token: string, appKey: string, late?: 'committing'): void {
    const fault = late ? undefined : faults.take();
    // Commit-late: the request sits inside X that long; X counts and stores it when it commits.
    if (fault?.kind === 'commit-late') { setTimeout(() => createTweet(res, req, body, token, appKey, 'committing'), fault.delayMs); return; }
    const now = Date.now();
    const user = xUserFor(token);
    const headersNow = () => limitHeaders(token, appKey, Date.now());
    if (fault?.kind === 'hang') return; // hang-before-commit: nothing stored, the socket stays open until close()
    if (capped) return sendJson(res, 429, usageCapped(user.id), headersNow());
    if (overLimit(token, appKey, now)) return sendJson(res, 429, problem.tooMany, headersNow());
    for (const w of limits.perUser) counters.hit(`u:${token}`, w, now);
    for (const w of limits.perApp) counters.hit(`a:${appKey}`, w, now);
    if (fault?.kind === 'fail') {
      const { status, body: b, contentType, headers } = fault.spec;
      return sendJson(res, status, b ?? '', { ...headersNow(), ...headers }, contentType ?? (typeof b === 'string' ? 'text/plain' : undefined));
    }
    const params = parseBody(req, body);
    const text = typeof params.text === 'string' ? params.text : undefined;
    if (text === undefined || text.length === 0) return sendJson(res, 400, invalidRequest('text: must not be empty', { text: [String(text ?? '')] }), headersNow());
    const parsed = twitterText.parseTweet(text);
    if (!parsed.valid || parsed.weightedLength > 280) {
      return sendJson(res, 400, invalidRequest(`text: Tweet text is too long (weighted length ${parsed.weightedLength} > 280)`, { text: [text] }), headersNow());
    }
    if (!acceptDuplicates && liveText.has(textKey(user.id, text))) return sendJson(res, 403, problem.duplicate, headersNow());
    const post: XPost = { id: nextId(), text, userId: user.id, appKey, createdAt: new Date(now).toISOString(), deleted: false };
    posts.push(post);
    liveText.add(textKey(user.id, text));
    if (!byUser.has(user.id)) byUser.set(user.id, []);
    byUser.get(user.id)!.push(post);
    if (fault?.kind === 'drop') { res.socket?.destroy(); return; }
    if (fault?.kind === 'commit-hang') return; // stored; the answer never comes
    sendJson(res, 201, { data: { id: post.id, text, edit_history_tweet_ids: [post.id] } }, headersNow());
  }

  function timeline(res: http.ServerResponse, url: URL, userId: string): void {
    const max = Math.max(5, Math.min(100, Number(url.searchParams.get('max_results') ?? 10) || 10));
    const fields = new Set((url.searchParams.get('tweet.fields') ?? '').split(',').filter(Boolean));
    const since = Date.parse(url.searchParams.get('start_time') ?? '');
    const mine: XPost[] = [];
    const own = byUser.get(userId) ?? [];
    for (let i = own.length - 1; i >= 0; i--) {
      const p = own[i]!;
      if (Date.parse(p.createdAt) < since) break; // own posts are in creation order
      if (!p.deleted) mine.push(p);
    }
    const start = Number(url.searchParams.get('pagination_token') ?? 0) || 0;
    const page = mine.slice(start, start + max);
    const headers = { 'x-rate-limit-limit': '900', 'x-rate-limit-remaining': '899', 'x-rate-limit-reset': String(Math.ceil((Date.now() + FIFTEEN_MIN) / 1000)) };
    if (!page.length) return sendJson(res, 200, { meta: { result_count: 0 } }, headers);
    const data = page.map((p) => {
      const entities = urlEntities(p.text);
      // X shows every link in `text` as its t.co form; only entities keep the original URL.
      let shown = p.text;
      for (const e of [...entities].reverse()) shown = shown.slice(0, e.start) + e.url + shown.slice(e.end);
      const out: Record<string, unknown> = { id: p.id, text: shown, edit_history_tweet_ids: [p.id] };
      if (fields.has('created_at')) out.created_at = p.createdAt;
      if (fields.has('author_id')) out.author_id = p.userId;
      if (fields.has('entities') && entities.length) out.entities = { urls: entities };
      return out;
    });
    const meta: Record<string, unknown> = { result_count: data.length, newest_id: data[0]!.id, oldest_id: data[data.length - 1]!.id };
    if (start + max < mine.length) meta.next_token = String(start + max);
    sendJson(res, 200, { data, meta }, headers);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/__control/')) return handleControl(controls, req, res, body);
    const auth = String(req.headers.authorization ?? '');
    const oauth = parseOAuthHeader(auth);
    // OAuth 1.0a user context carries the user token; a Bearer token (OAuth2 user context) stands for itself.
    const token = oauth.oauth_token ?? (auth.startsWith('Bearer ') ? auth.slice(7) : '');
    const appKey = oauth.oauth_consumer_key ?? 'oauth2';
    if (!token || revoked.has(token)) return sendJson(res, 401, problem.unauthorized);
    // X states the token's permission on every answer it makes for a user.
    const access = accessOf.get(token) ?? 'read-write';
    res.setHeader('x-access-level', access);
    if (suspended.has(token)) return sendJson(res, 403, problem.suspended);
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    const isWrite = method !== 'GET' && method !== 'HEAD';
    if (isWrite && access === 'read') return sendJson(res, 403, problem.readOnly);
    // The Free tier serves only its three endpoints; any other read is refused for the access level.
    if (!isWrite && path !== '/2/users/me' && !TIER_READS_TIMELINE[tierOf.get(token) ?? tier]) return sendJson(res, 403, clientNotEnrolled(clientIdOf(appKey)));
    if (method === 'POST' && path === '/2/tweets') return createTweet(res, req, body, token, appKey);
    const del = /^\/2\/tweets\/(\d+)$/.exec(path);
    if (method === 'DELETE' && del) {
      const user = xUserFor(token);
      const p = (byUser.get(user.id) ?? []).find((x) => x.id === del[1] && !x.deleted);
      if (p) { p.deleted = true; liveText.delete(textKey(p.userId, p.text)); }
      return sendJson(res, 200, { data: { deleted: Boolean(p) } });
    }
    if (method === 'GET' && path === '/2/users/me') return sendJson(res, 200, { data: xUserFor(token) });
    const tl = /^\/2\/users\/(\d+)\/tweets$/.exec(path);
    if (method === 'GET' && tl) return timeline(res, url, tl[1]!);
    sendJson(res, 404, problem.notFound);
  }

  const controls = {
    posts: () => posts.map((p) => ({ ...p })),
    revoke: (t: string) => void revoked.add(t),
    unrevoke: (t: string) => void revoked.delete(t),
    setUsageCapped: (on: boolean) => { capped = Boolean(on); },
    failNext: (count: number, spec: FailSpec) => faults.failNext(count, spec),
    dropNext: (count = 1) => faults.dropNext(count),
    commitThenDropNext: (count = 1) => faults.dropNext(count),
    setDropProbability: (p: number) => faults.setDropProbability(p),
    hangNext: (count = 1) => faults.hangNext(count),
    hangBeforeCommitNext: (count = 1) => faults.hangNext(count),
    commitThenHangNext: (count = 1) => faults.commitThenHangNext(count),
    commitLateNext: (count: number, delayMs: number) => faults.commitLateNext(count, delayMs),
    setFaultRates: (r: FaultRates) => faults.setRates(r),
    setSeed: (seed: number | null) => faults.setSeed(seed),
    setLimits: (l: XLimits) => { limits = { perUser: l.perUser ?? DEFAULT_LIMITS.perUser, perApp: l.perApp ?? [] }; counters.clear(); },
    setTier: (t: XTier, accessToken?: string) => {
      if (!(t in TIER_READS_TIMELINE)) throw new Error(`unknown tier "${t}"`);
      if (accessToken) tierOf.set(accessToken, t); else tier = t;
    },
    setAccessLevel: (t: string, level: XAccessLevel) => void accessOf.set(t, level),
    suspend: (t: string) => void suspended.add(t),
    unsuspend: (t: string) => void suspended.delete(t),
    setAcceptDuplicates: (on: boolean) => { acceptDuplicates = Boolean(on); },
    reset: () => {
      posts = []; byUser = new Map(); liveText = new Set(); revoked.clear(); suspended.clear(); tierOf.clear(); accessOf.clear();
      faults.clear(); counters.clear(); capped = false;
    },
    userFor: (t: string) => xUserFor(t),
  };

  const server: RunningServer = await startServer(handle, opts);
  return { url: server.url, close: server.close, ...controls };
}
