// SPDX-License-Identifier: EUPL-1.2
/**
 * Building blocks of the config schema that every part's own schema uses (the channels define their
 * config in their own folders, src/channels/<network>/config.ts): durations, http(s) URLs, limit windows,
 * backoff, template keys. Kept apart from schema.ts so a channel's schema can use them without a cycle.
 */
import { z } from 'zod';
import { parseDuration } from './duration.ts';

/**
 * A validation message: English here, and by its catalogue key (src/i18n/it-cli.ts) in the operator's
 * language when the loader prints it.
 */
export const say = (i18n: string, message: string, params: Record<string, string | number> = {}) => ({ message, params: { i18n, ...params } });

export const duration = (min = 1000) =>
  z.union([z.string(), z.number()]).transform((v, ctx) => {
    const ms = typeof v === 'number' ? v : parseDuration(v);
    if (ms === undefined || !Number.isFinite(ms)) {
      ctx.addIssue({ code: 'custom', ...say('config_notDuration', `"${v}" is not a duration (write 500ms, 30s, 15m, 1h or 1d)`, { value: String(v) }) });
      return z.NEVER;
    }
    if (ms < min) {
      ctx.addIssue({ code: 'custom', ...say('config_durationMin', `must be at least ${min}ms`, { min }) });
      return z.NEVER;
    }
    return ms;
  });

export const httpUrl = z.string().refine((s) => {
  try { const u = new URL(s); return u.protocol === 'http:' || u.protocol === 'https:'; } catch { return false; }
}, say('config_httpUrl', 'must be an http(s) URL'));

export const hhmm = z.string().refine((v) => /^([01]\d|2[0-3]):[0-5]\d$/.test(v), say('config_hhmm', 'must be HH:MM (24h)'));

export const limitSchema = z.strictObject({ max: z.number().int().positive(), per: duration(1000) });
export type LimitWindow = z.output<typeof limitSchema>;

/**
 * A channel's `modifyLimits`: the windows its edits and deletes spend, apart from the posting `limits`
 * (src/delivery/slots.ts). Same shape as `limits`; the channel's folder passes its network's documented
 * default. A channel without the key keeps modifications in its posting windows.
 */
export const modifyLimitsKey = (defaults: Array<{ max: number; per: number }>) => ({
  modifyLimits: z.array(limitSchema).default(defaults),
});

export const backoffSchema = z.strictObject({
  initial: duration(100).default(5000),
  factor: z.number().min(1).default(2),
  max: duration(100).default(15 * 60_000),
});

/** Keys every channel has: how many attempts, how to back off between them. */
export const deliveryKeys = {
  attempts: z.number().int().min(1).max(100).default(8),
  backoff: backoffSchema.default({ initial: 5000, factor: 2, max: 15 * 60_000 }),
};

/** Keys of a channel whose posts are rendered from a template. */
export const templateKeys = {
  /** Inline Mustache template; see config/templates/ for the defaults. */
  template: z.string().min(1).optional(),
  /** Path to a Mustache template file, relative to the config file. */
  templateFile: z.string().min(1).optional(),
  /** Hashtags added to every post of this channel, written without '#' or with it. */
  hashtags: z.array(z.string().min(1)).default([]),
};
