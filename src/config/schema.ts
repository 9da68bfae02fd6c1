// SPDX-License-Identifier: EUPL-1.2
/**
 * The configuration schema: every key an operator may write, with its default. Parsed once at start
 * (src/config/load.ts); the result is frozen and passed down. Unknown keys are errors, so a typo never
 * silently falls back to a default.
 */
import { z } from 'zod';
import { duration, hhmm, httpUrl, say } from './fields.ts';
import { channelDefinitions } from '../channels/registry.ts';
import type { BaseChannelConfig } from '../channels/definition.ts';
import { parsePasswordHash } from '../access/password-hash.ts';
import { linkTemplateProblem } from '../feeds/link-template.ts';

export { limitSchema, type LimitWindow } from './fields.ts';
export type { TwitterConfig } from '../channels/twitter/config.ts';
export type { FacebookConfig } from '../channels/facebook/config.ts';

/**
 * `publishers[].channels`: one optional key per registered network, each validated by the schema its
 * channel folder defines (src/channels/<network>/config.ts).
 */
const channelsSchema = z.strictObject(
  Object.fromEntries(channelDefinitions().map((d) => [d.id, d.configSchema.optional()])) as Record<string, z.ZodOptional<z.ZodType<BaseChannelConfig>>>,
).refine((c) => Object.values(c).some((v) => v !== undefined), say('config_channelsNeeded', `needs at least one channel (${channelDefinitions().map((d) => d.id).join(', ')})`, { channels: channelDefinitions().map((d) => d.id).join(', ') }));

export const feedSchema = z.strictObject({
  url: httpUrl,
  pollInterval: duration(1000).default(15 * 60_000),
  onFirstPoll: z.enum(['skip', 'post']).default('skip'),
  onUpdate: z.enum(['edit', 'ignore']).default('edit'),
  onRemoval: z.enum(['close', 'ignore']).default('ignore'),
  /** Consecutive successful, complete polls an offer must be missing from before it counts as gone. */
  closeAfterMissing: z.number().int().min(1).max(1000).default(3),
  onExpiry: z.enum(['close', 'ignore']).default('close'),
  /**
   * Builds each post's link for documents that carry none (ClicLavoro, MyPortal and HR-Open served from a
   * feed URL): `https://www.example.it/offerta/{{code}}`.
   */
  link: z.string().min(1).optional(),
});

/** CSS selectors of the fields of an offer page, for a portal no preset knows (src/sources/pages/). */
const pageFieldsSchema = z.strictObject({
  title: z.string().min(1),
  code: z.string().min(1).optional(),
  place: z.string().min(1).optional(),
  contract: z.string().min(1).optional(),
  deadline: z.string().min(1).optional(),
  text: z.string().min(1).optional(),
  published: z.string().min(1).optional(),
});

/**
 * `publishers[].pages`: a portal page listing offers, for offices whose portal has no feed. Either a
 * `preset` (the regional template) or the office's own `links` + `fields` selectors, never both.
 */
export const pageSchema = z.strictObject({
  url: httpUrl,
  preset: z.enum(['myportal']).optional(),
  /** CSS selector of the links to offer pages on `url` (with `fields`, instead of `preset`). */
  links: z.string().min(1).optional(),
  fields: pageFieldsSchema.optional(),
  pollInterval: duration(1000).default(15 * 60_000),
  onFirstPoll: z.enum(['skip', 'post']).default('skip'),
  onUpdate: z.enum(['edit', 'ignore']).default('edit'),
  onRemoval: z.enum(['close', 'ignore']).default('ignore'),
  closeAfterMissing: z.number().int().min(1).max(1000).default(3),
  onExpiry: z.enum(['close', 'ignore']).default('close'),
  /** New offer pages fetched per poll at most; the rest wait for the next polls. */
  maxNewPerPoll: z.number().int().min(1).max(1000).default(20),
}).superRefine((p, ctx) => {
  const own = p.links !== undefined || p.fields !== undefined;
  if (p.preset !== undefined && own) ctx.addIssue({ code: 'custom', path: ['preset'], ...say('pages_presetOrSelectors', 'set preset, or links and fields, not both') });
  else if (p.preset === undefined && (p.links === undefined || p.fields === undefined)) ctx.addIssue({ code: 'custom', path: [p.links === undefined ? 'links' : 'fields'], ...say('pages_needsPresetOrSelectors', 'needs preset (myportal), or both links and fields') });
});

/**
 * `publishers[].inbox`: a folder where the SIL's export or an SFTP upload drops offer files
 * (src/sources/inbox.ts). `link` builds the posts' links for formats that carry none.
 */
export const inboxSchema = z.strictObject({
  path: z.string().min(1),
  link: z.string().min(1).optional(),
  /** A file is read once its size and time have not changed for this long. */
  settle: duration(100).default(5000),
  /** How often the folder is looked at. */
  pollInterval: duration(100).default(2000),
});

/** `publishers[].api`: the offers API for the office's own IT (src/sources/api.ts); tokens are secrets. */
export const apiSchema = z.strictObject({
  /** Builds the posts' links for pushed XML documents that carry none (defaults to inbox.link). */
  link: z.string().min(1).optional(),
  tokens: z.array(z.string().min(16, 'must be at least 16 characters')).min(1),
  /** The largest request body accepted, in bytes. */
  maxBytes: z.number().int().positive().max(50 * 1024 * 1024).default(1024 * 1024),
});

/** The keys of a publisher that bring offers in; a publisher needs at least one (any mix, feeds optional). */
export const SOURCE_KEYS = ['feeds', 'inbox', 'api', 'pages'] as const;

const publisherId = z.string().refine((v) => /^[a-z0-9-]+$/.test(v), say('config_pattern', 'must match [a-z0-9-]+', { pattern: '[a-z0-9-]+' }));

/** viewer: sees; operator: sees and acts; admin: everything, every publisher, bull-board. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type RoleName = typeof ROLES[number];

export const dashboardUserSchema = z.strictObject({
  name: z.string().regex(/^[\p{L}\p{N}._@+-]{1,64}$/u, 'must be 1–64 letters, digits or . _ @ + -'),
  passwordHash: z.string().superRefine((v, ctx) => {
    const r = parsePasswordHash(v);
    if (typeof r === 'string') ctx.addIssue({ code: 'custom', message: r });
  }),
  role: z.enum(ROLES),
  /** Publisher ids the person sees and acts on; ["*"] for all. Admins see every publisher. */
  publishers: z.array(z.string().min(1)).min(1).optional(),
});

/** Sign-in with the office's identity provider (OpenID Connect, authorization code with PKCE). */
export const oidcSchema = z.strictObject({
  issuer: httpUrl.refine((u) => {
    const url = new URL(u);
    return url.protocol === 'https:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  }, 'must be https (plain http only for a provider on this machine)'),
  clientId: z.string().min(1),
  /** Absent for a public client (PKCE alone). */
  clientSecret: z.string().min(1).optional(),
  scopes: z.string().default('openid profile email').refine((s) => s.split(/\s+/).includes('openid'), 'must include openid'),
  /** Claim (a dotted path such as realm_access.roles works) holding viewer, operator or admin. */
  roleClaim: z.string().min(1).default('banditore_role'),
  /** Claim holding the publisher ids (a list, or a string separated by spaces or commas; "*" for all). */
  publishersClaim: z.string().min(1).default('banditore_publishers'),
});

export const publisherSchema = z.strictObject({
  id: publisherId,
  name: z.string().min(1),
  timezone: z.string().default('Europe/Rome').refine((tz) => {
    try { new Intl.DateTimeFormat('it-IT', { timeZone: tz }); return true; } catch { return false; }
  }, say('config_timezone', 'is not a known IANA time zone (e.g. Europe/Rome)')),
  feeds: z.array(feedSchema).default([]),
  /** Portal pages read like feeds (src/sources/pages/). */
  pages: z.array(pageSchema).default([]),
  channels: channelsSchema,
  /** Place hashtags are derived from the offer; these are added to every post of the publisher. */
  hashtags: z.array(z.string().min(1)).default([]),
  /** Text that every post must keep whole (e.g. the D.Lgs. 198/2006 art. 27 wording). */
  requiredText: z.string().optional(),
  quietHours: z.strictObject({
    from: hhmm,
    to: hhmm,
    /** Held posts go out spread over this span after the quiet hours end, not in a burst. */
    spread: duration(0).default(10 * 60_000),
  }).optional(),
  digest: z.strictObject({ over: z.number().int().positive(), link: httpUrl }).optional(),
  /**
   * The office's own contacts (institutional mailbox, switchboard) that may stay in posts; every other
   * e-mail address and phone number is taken out of the offers' texts.
   */
  allowedContacts: z.array(z.string().trim().refine((c) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(c) || c.replace(/\D/g, '').length >= 6,
    'must be an e-mail address or a phone number')).default([]),
  inbox: inboxSchema.optional(),
  api: apiSchema.optional(),
});

/** The repository's address, as publiccode.yml says it (`url`); test/dashboard/a11y-pages.test.ts keeps them equal. */
export const SOURCE_REPOSITORY_URL = 'https://github.com/banditore/banditore';

export const configSchema = z.strictObject({
  redis: z.strictObject({
    url: z.string().default('redis://127.0.0.1:6379'),
    prefix: z.string().refine((v) => /^[A-Za-z0-9_{}.-]+$/.test(v), say('config_pattern', 'must match [A-Za-z0-9_{}.-]+', { pattern: '[A-Za-z0-9_{}.-]+' })).default('banditore'),
    /** Redis Cluster seed nodes ("host:port"); when set, used instead of url. */
    clusterNodes: z.array(z.string().refine((v) => /^[^:]+:\d+$/.test(v), say('config_hostPort', 'must be host:port'))).optional(),
  }).default({ url: 'redis://127.0.0.1:6379', prefix: 'banditore' }),
  dashboard: z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(3000),
    /** The legacy single sign-in: one admin. */
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    /** Set when the dashboard is served behind HTTPS (cookies become Secure). */
    publicUrl: httpUrl.optional(),
    language: z.enum(['it', 'en']).default('it'),
    users: z.array(dashboardUserSchema).default([]),
    oidc: oidcSchema.optional(),
    /** A secret that lets `Authorization: Bearer …` read /metrics (and nothing else). */
    metricsToken: z.string().min(16, 'must be at least 16 characters').optional(),
    /** A session unused this long ends. */
    idleTimeout: duration(60_000).default(30 * 60_000),
    /** A session ends this long after sign-in, however busy. */
    sessionMaxAge: duration(60_000).default(12 * 3_600_000),
    /** Behind a reverse proxy: true, a hop count, or the proxies' addresses (fastify trustProxy). */
    trustProxy: z.union([z.boolean(), z.number().int().min(1), z.string().min(1), z.array(z.string().min(1)).min(1)]).default(false),
    /** The office's accessibility statement (L. 4/2004, AGID), linked from every page's footer. */
    accessibilityUrl: httpUrl.optional(),
    /** The source repository, linked from every page's footer (AGID reuse guidelines): the office's fork, if any. */
    sourceUrl: httpUrl.default(SOURCE_REPOSITORY_URL),
  }),
  worker: z.strictObject({
    /**
     * Jobs processed at once per worker process for each network (across its accounts; one at a time
     * per account). Unset: one per account, at most 40 (src/app/lanes.ts).
     */
    concurrency: z.number().int().min(1).max(1000).optional(),
    /** How long one network call may take before its outcome counts as unknown. */
    postTimeout: duration(100).default(20_000),
  }).default({ postTimeout: 20_000 }),
  fetch: z.strictObject({
    timeout: duration(100).default(30_000),
    connectTimeout: duration(100).default(10_000),
    maxBytes: z.number().int().positive().default(10 * 1024 * 1024),
    maxRedirects: z.number().int().min(0).max(20).default(5),
    /** Concurrent requests per feed host. */
    perHost: z.number().int().min(1).max(50).default(2),
    userAgent: z.string().default('Banditore/0.1 (+https://github.com/banditore/banditore)'),
  }).default({ timeout: 30_000, connectTimeout: 10_000, maxBytes: 10 * 1024 * 1024, maxRedirects: 5, perHost: 2, userAgent: 'Banditore/0.1 (+https://github.com/banditore/banditore)' }),
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
    .default({ level: 'info' }),
  publishers: z.array(publisherSchema).min(1),
  /** How long closed, cancelled and expired offers are kept (with their ledger entries) before the pruner removes them. */
  retention: duration(60_000).default(90 * 86_400_000),
  /** The sweeper (src/duties/sweeper.ts): how often it looks for posts left in doubt with no job. */
  sweeper: z.strictObject({ interval: duration(100).default(60_000) }).default({ interval: 60_000 }),
}).superRefine((cfg, ctx) => {
  checkDashboardPeople(cfg, ctx);
  const seen = new Set<string>();
  cfg.publishers.forEach((p, i) => {
    if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['publishers', i, 'id'], ...say('config_usedTwice', `"${p.id}" is used twice`, { id: p.id }) });
    seen.add(p.id);
    checkSources(p as unknown as Record<string, unknown>, i, ctx);
    const urls = new Set<string>();
    p.feeds.forEach((f, j) => {
      if (urls.has(f.url)) ctx.addIssue({ code: 'custom', path: ['publishers', i, 'feeds', j, 'url'], ...say('config_listedTwice', 'is listed twice for this publisher') });
      urls.add(f.url);
    });
    // A page is polled, and owns its offers, under its URL like a feed: one URL, one source.
    p.pages.forEach((f, j) => {
      if (urls.has(f.url)) ctx.addIssue({ code: 'custom', path: ['publishers', i, 'pages', j, 'url'], ...say('config_listedTwice', 'is listed twice for this publisher') });
      urls.add(f.url);
    });
    for (const [net, ch] of Object.entries(p.channels)) {
      if (ch?.template && ch.templateFile) ctx.addIssue({ code: 'custom', path: ['publishers', i, 'channels', net, 'template'], ...say('config_templateBoth', 'set template or templateFile, not both') });
    }
  });
});

/** A publisher takes offers from some source: a feed, an inbox, the API, portal pages (counted defensively, whatever their shape). */
function checkSources(p: Record<string, unknown>, i: number, ctx: z.RefinementCtx): void {
  const has = SOURCE_KEYS.some((k) => {
    const v = p[k];
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== null;
  });
  if (!has) ctx.addIssue({ code: 'custom', path: ['publishers', i], ...say('config_sourcesNeeded', `needs at least one source of offers (${SOURCE_KEYS.join(', ')})`, { sources: SOURCE_KEYS.join(', ') }) });
  for (const key of ['inbox', 'api'] as const) {
    const link = (p[key] as { link?: string } | undefined)?.link;
    const problem = link ? linkTemplateProblem(link) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', path: ['publishers', i, key, 'link'], message: problem });
  }
  ((p.feeds as Array<{ link?: string }> | undefined) ?? []).forEach((f, j) => {
    const problem = f.link ? linkTemplateProblem(f.link) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', path: ['publishers', i, 'feeds', j, 'link'], message: problem });
  });
}

/** Who may sign in: the names are unique, every publisher named exists, and somebody can sign in at all. */
function checkDashboardPeople(cfg: { dashboard: { username?: string | undefined; password?: string | undefined; users: Array<z.output<typeof dashboardUserSchema>>; oidc?: unknown }; publishers: Array<{ id: string }> }, ctx: z.RefinementCtx): void {
  const d = cfg.dashboard;
  if (d.username !== undefined && d.password === undefined) ctx.addIssue({ code: 'custom', path: ['dashboard', 'password'], ...say('config_passwordWithUser', 'is required with dashboard.username') });
  if (d.password !== undefined && d.username === undefined) ctx.addIssue({ code: 'custom', path: ['dashboard', 'username'], ...say('config_userWithPassword', 'is required with dashboard.password') });
  if (d.username === undefined && d.password === undefined && !d.users.length && !d.oidc) {
    ctx.addIssue({ code: 'custom', path: ['dashboard'], ...say('config_nobodySignsIn', 'nobody could sign in: set users, oidc, or username and password') });
  }
  const ids = new Set(cfg.publishers.map((p) => p.id));
  const names = new Set<string>(d.username !== undefined ? [d.username] : []);
  d.users.forEach((u, i) => {
    if (names.has(u.name)) ctx.addIssue({ code: 'custom', path: ['dashboard', 'users', i, 'name'], ...say('config_usedTwice', `"${u.name}" is used twice`, { id: u.name }) });
    names.add(u.name);
    const list = u.publishers;
    if (!list) {
      if (u.role !== 'admin') ctx.addIssue({ code: 'custom', path: ['dashboard', 'users', i, 'publishers'], ...say('config_publishersRequired', `is required for a ${u.role} (the publisher ids, or ["*"] for all)`, { role: u.role }) });
      return;
    }
    if (list.includes('*') && list.length > 1) ctx.addIssue({ code: 'custom', path: ['dashboard', 'users', i, 'publishers'], ...say('config_starAlone', '"*" stands for every publisher: write it alone') });
    if (u.role === 'admin' && !(list.length === 1 && list[0] === '*')) ctx.addIssue({ code: 'custom', path: ['dashboard', 'users', i, 'publishers'], ...say('config_adminSeesAll', 'an admin sees every publisher: leave publishers out or write ["*"]') });
    list.forEach((p, j) => {
      if (p !== '*' && !ids.has(p)) ctx.addIssue({ code: 'custom', path: ['dashboard', 'users', i, 'publishers', j], ...say('config_unknownPublisher', `unknown publisher "${p}"`, { id: p }) });
    });
  });
}

export type Config = z.output<typeof configSchema>;
export type PublisherConfig = Config['publishers'][number];
export type FeedConfig = PublisherConfig['feeds'][number];
export type PageConfig = PublisherConfig['pages'][number];
/** A channel's config as the core sees it: the keys every network has (its own keys are its adapter's). */
export type ChannelConfig = BaseChannelConfig;
