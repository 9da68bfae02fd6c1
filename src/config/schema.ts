/**
 * The configuration schema: every key an operator may write, with its default. Parsed once at start
 * (src/config/load.ts); the result is frozen and passed down. Unknown keys are errors, so a typo never
 * silently falls back to a default.
 */
import { z } from 'zod';
import { parseDuration } from './duration.ts';

const duration = (min = 1000) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : parseDuration(v);
    if (ms === undefined || !Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration (write 500ms, 30s, 15m, 1h or 1d)` });
      return z.NEVER;
    }
    if (ms < min) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${min}ms` });
      return z.NEVER;
    }
    return ms;
  });

const httpUrl = z.string().refine((s) => {
  try { const u = new URL(s); return u.protocol === 'http:' || u.protocol === 'https:'; } catch { return false; }
}, 'must be an http(s) URL');

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24h)');

export const limitSchema = z.strictObject({ max: z.number().int().positive(), per: duration(1000) });

const backoffSchema = z.strictObject({
  initial: duration(100).default(5000),
  factor: z.number().min(1).default(2),
  max: duration(100).default(15 * 60_000),
});

const templateKeys = {
  /** Inline Mustache template; see config/templates/ for the defaults. */
  template: z.string().min(1).optional(),
  /** Path to a Mustache template file, relative to the config file. */
  templateFile: z.string().min(1).optional(),
  /** Hashtags added to every post of this channel, written without '#' or with it. */
  hashtags: z.array(z.string().min(1)).default([]),
};

export const twitterSchema = z.strictObject({
  apiBaseUrl: httpUrl.default('https://api.x.com'),
  appKey: z.string().min(1),
  appSecret: z.string().min(1),
  accessToken: z.string().min(1),
  accessSecret: z.string().min(1),
  // X Pro tier per-user caps for POST /2/tweets, and the Free tier daily cap: the safe default.
  limits: z.array(limitSchema).default([{ max: 100, per: 15 * 60_000 }, { max: 17, per: 86_400_000 }]),
  attempts: z.number().int().min(1).max(100).default(8),
  backoff: backoffSchema.default({ initial: 5000, factor: 2, max: 15 * 60_000 }),
  ...templateKeys,
});

export const facebookSchema = z.strictObject({
  graphBaseUrl: httpUrl.default('https://graph.facebook.com'),
  pageId: z.union([z.string().regex(/^\d+$/, 'must be the numeric Page id'), z.number().int().positive().transform(String)]),
  pageAccessToken: z.string().min(1),
  /** Facebook app id, when known: Pages of one app share its app-wide limit (code 4). */
  appId: z.string().regex(/^\d+$/).optional(),
  limits: z.array(limitSchema).default([{ max: 25, per: 3_600_000 }]),
  attempts: z.number().int().min(1).max(100).default(8),
  backoff: backoffSchema.default({ initial: 5000, factor: 2, max: 15 * 60_000 }),
  /** What closing an offer does to its Facebook post. */
  closeAction: z.enum(['edit', 'delete']).default('edit'),
  ...templateKeys,
});

export const feedSchema = z.strictObject({
  url: httpUrl,
  pollInterval: duration(1000).default(15 * 60_000),
  onFirstPoll: z.enum(['skip', 'post']).default('skip'),
  onUpdate: z.enum(['edit', 'ignore']).default('edit'),
  onRemoval: z.enum(['close', 'ignore']).default('ignore'),
  onExpiry: z.enum(['close', 'ignore']).default('close'),
});

const publisherId = z.string().regex(/^[a-z0-9-]+$/, 'must match [a-z0-9-]+');

export const publisherSchema = z.strictObject({
  id: publisherId,
  name: z.string().min(1),
  timezone: z.string().default('Europe/Rome').refine((tz) => {
    try { new Intl.DateTimeFormat('it-IT', { timeZone: tz }); return true; } catch { return false; }
  }, 'is not a known IANA time zone (e.g. Europe/Rome)'),
  feeds: z.array(feedSchema).min(1),
  channels: z.strictObject({ twitter: twitterSchema.optional(), facebook: facebookSchema.optional() })
    .refine((c) => c.twitter || c.facebook, 'needs twitter, facebook or both'),
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
});

export const configSchema = z.strictObject({
  redis: z.strictObject({
    url: z.string().default('redis://127.0.0.1:6379'),
    prefix: z.string().regex(/^[A-Za-z0-9_{}.-]+$/, 'must match [A-Za-z0-9_{}.-]+').default('banditore'),
    /** Redis Cluster seed nodes ("host:port"); when set, used instead of url. */
    clusterNodes: z.array(z.string().regex(/^[^:]+:\d+$/, 'must be host:port')).optional(),
  }).default({ url: 'redis://127.0.0.1:6379', prefix: 'banditore' }),
  dashboard: z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(3000),
    username: z.string().min(1),
    password: z.string().min(1),
    /** Set when the dashboard is served behind HTTPS (cookies become Secure). */
    publicUrl: httpUrl.optional(),
    language: z.enum(['it', 'en']).default('it'),
  }),
  worker: z.strictObject({
    /** Jobs processed at once per worker process (across all accounts; one at a time per account). */
    concurrency: z.number().int().min(1).max(1000).default(20),
    /** How long one network call may take before its outcome counts as unknown. */
    postTimeout: duration(100).default(20_000),
  }).default({ concurrency: 20, postTimeout: 20_000 }),
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
}).superRefine((cfg, ctx) => {
  const seen = new Set<string>();
  cfg.publishers.forEach((p, i) => {
    if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['publishers', i, 'id'], message: `"${p.id}" is used twice` });
    seen.add(p.id);
    const urls = new Set<string>();
    p.feeds.forEach((f, j) => {
      if (urls.has(f.url)) ctx.addIssue({ code: 'custom', path: ['publishers', i, 'feeds', j, 'url'], message: 'is listed twice for this publisher' });
      urls.add(f.url);
    });
    for (const net of ['twitter', 'facebook'] as const) {
      const ch = p.channels[net];
      if (ch?.template && ch.templateFile) ctx.addIssue({ code: 'custom', path: ['publishers', i, 'channels', net, 'template'], message: 'set template or templateFile, not both' });
    }
  });
});

export type Config = z.output<typeof configSchema>;
export type PublisherConfig = Config['publishers'][number];
export type FeedConfig = PublisherConfig['feeds'][number];
export type TwitterConfig = z.output<typeof twitterSchema>;
export type FacebookConfig = z.output<typeof facebookSchema>;
export type ChannelConfig = TwitterConfig | FacebookConfig;
export type LimitWindow = z.output<typeof limitSchema>;
