// SPDX-License-Identifier: EUPL-1.2
/**
 * One notification to one subscription through the `web-push` library (VAPID, aes128gcm). It never
 * retries: the sender's next pass does, when the answer says it may (classify.ts).
 */
import { readFileSync } from 'node:fs';
import * as https from 'node:https';
import { rootCertificates } from 'node:tls';
import webpush from 'web-push';
import type { PushConfig } from './config.ts';
import type { Subscription } from './store.ts';
import type { Payload } from './notice.ts';
import { classifyPushAnswer, type SendResult } from './classify.ts';

export type Sender = (sub: Subscription, payload: Payload, topic: string) => Promise<SendResult>;

/**
 * A push service signed by an extra authority (`caFile`: the sandbox's or a test's own) is trusted by
 * this agent only, besides the usual roots: TLS checks stay on everywhere.
 */
function agentFor(caFile: string | undefined): https.Agent | undefined {
  if (!caFile) return undefined;
  return new https.Agent({ keepAlive: true, ca: [...rootCertificates, readFileSync(caFile, 'utf8')] });
}

export function makeSender(cfg: PushConfig, opts: { timeoutMs: number; now: () => number }): Sender {
  const agent = agentFor(cfg.caFile);
  return async (sub, payload, topic) => {
    try {
      await webpush.sendNotification({ endpoint: sub.endpoint, keys: sub.keys }, JSON.stringify(payload), {
        vapidDetails: { subject: cfg.subject, publicKey: cfg.vapidPublicKey, privateKey: cfg.vapidPrivateKey },
        TTL: Math.round(cfg.ttl / 1000),
        topic,
        urgency: cfg.urgency,
        contentEncoding: 'aes128gcm',
        timeout: opts.timeoutMs,
        ...(agent ? { agent } : {}),
      });
      return { kind: 'accepted' };
    } catch (e) {
      return classifyPushAnswer(e, opts.now());
    }
  };
}
