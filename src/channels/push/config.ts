// SPDX-License-Identifier: EUPL-1.2
/**
 * `channels.push`: notifications of the office's web app (Web Push, RFC 8030/8291/8292) with its VAPID
 * key pair. The private key is a secret: the loader scrubs it from logs like every key named
 * `…PrivateKey` (src/config/load.ts).
 */
import { z } from 'zod';
import { deliveryKeys, duration, limitSchema, say, templateKeys } from '../../config/fields.ts';

/** base64url without padding, decoding to exactly `bytes` bytes. */
export const base64urlOf = (bytes: number) => (v: string) => /^[A-Za-z0-9_-]+$/.test(v) && Buffer.from(v, 'base64url').length === bytes;

export const pushSchema = z.strictObject({
  /** The uncompressed P-256 public key (65 bytes, base64url), as `npx web-push generate-vapid-keys` prints it. */
  vapidPublicKey: z.string().refine(base64urlOf(65), say('push_config_publicKey', 'must be a VAPID public key: 65 bytes in base64url (npx web-push generate-vapid-keys)')),
  /** The private key (32 bytes, base64url). */
  vapidPrivateKey: z.string().refine(base64urlOf(32), say('push_config_privateKey', 'must be a VAPID private key: 32 bytes in base64url (npx web-push generate-vapid-keys)')),
  /** Who push services may contact about our messages: a mailto: or https: URL (RFC 8292 `sub`). */
  subject: z.string().refine((v) => /^mailto:[^@\s]+@[^@\s]+$/.test(v) || /^https:\/\/[^\s]+$/.test(v), say('push_config_subject', 'must be a mailto: address or an https: URL')),
  /** How long a push service keeps a notification for a phone that is off (the library's 4 weeks would announce stale offers). */
  ttl: duration(0).default(4 * 3_600_000),
  urgency: z.enum(['very-low', 'low', 'normal', 'high']).default('normal'),
  /** How often the sender empties the outboxes: offers arriving within one interval make one notification. */
  flushEvery: duration(250).default(60_000),
  /** How many notifications one pass sends at most (the next pass sends the rest). */
  batch: z.number().int().min(1).max(100_000).default(2000),
  /** Subscriptions the app accepts from one client address per hour. */
  subscribeLimit: z.number().int().min(1).max(10_000).default(20),
  /** How many offers the app page and offerte.json list. */
  listSize: z.number().int().min(1).max(500).default(100),
  /**
   * The push services a subscription's endpoint may point at (a host, or any host under it): the
   * endpoint is an address this server will POST to, so it may not be any address a visitor types.
   * The default covers Chrome/Edge/Android (FCM), Firefox (Mozilla), Windows (WNS) and Safari (Apple).
   */
  endpointHosts: z.array(z.string().refine((v) => /^[a-z0-9.-]+$|^\[?[0-9a-f:.]+\]?$/i.test(v), say('push_config_host', 'must be a host name (fcm.googleapis.com) or an IP address'))).min(1)
    .default(['fcm.googleapis.com', 'android.googleapis.com', 'push.services.mozilla.com', 'notify.windows.com', 'push.apple.com']),
  /** A PEM file of an authority to trust for push services besides the usual ones (the sandbox's own push service). */
  caFile: z.string().min(1).optional(),
  /** Offers accepted into the outboxes (the push services' own limits answer 429, which the sender honours). */
  limits: z.array(limitSchema).default([{ max: 600, per: 60_000 }]),
  ...deliveryKeys,
  ...templateKeys,
});

export type PushConfig = z.output<typeof pushSchema>;
