// SPDX-License-Identifier: EUPL-1.2
/**
 * Builds the real `twitter-api-v2` client for one account, pointed at `apiBaseUrl`.
 * The SDK has no base-URL option and hard-codes https://api.x.com (api-contracts.md B), so a plugin
 * rewrites the already-computed URL in onBeforeRequest: body encoding and OAuth1 signing stay exactly as
 * in production (signed over https://api.x.com/...). The SDK always calls https.request with our agent,
 * so the agent must match the base URL's protocol (http.Agent for a plain-http emulator).
 */
import { TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { TwitterConfig } from './config.ts';
import { keepAliveAgent } from '../keep-alive-agent.ts';

const X_HOSTS = /(^|\.)(x|twitter)\.com$/i;

export function baseUrlPlugin(apiBaseUrl: string): ITwitterApiClientPlugin {
  const target = new URL(apiBaseUrl);
  return {
    onBeforeRequest({ computedParams: { url } }) {
      if (X_HOSTS.test(url.hostname) && url.host !== target.host) {
        url.protocol = target.protocol;
        url.hostname = target.hostname;
        url.port = target.port;
      }
    },
  };
}

/**
 * Gives every request a socket timeout, so a hung answer is destroyed by the SDK ("Request timeout.")
 * instead of holding a socket forever; onBeforeRequestConfig runs before the timeout is read.
 */
export function timeoutPlugin(timeoutMs: number): ITwitterApiClientPlugin {
  return {
    onBeforeRequestConfig({ params }) {
      params.timeout ??= timeoutMs;
    },
  };
}

export function createXClient(
  cfg: Pick<TwitterConfig, 'apiBaseUrl' | 'appKey' | 'appSecret' | 'accessToken' | 'accessSecret'>,
  opts: { timeoutMs?: number; idleSocketMs?: number } = {},
): TwitterApi {
  const base = new URL(cfg.apiBaseUrl);
  const httpAgent = keepAliveAgent(base.protocol, opts.idleSocketMs);
  return new TwitterApi(
    { appKey: cfg.appKey, appSecret: cfg.appSecret, accessToken: cfg.accessToken, accessSecret: cfg.accessSecret },
    { plugins: [baseUrlPlugin(cfg.apiBaseUrl), ...(opts.timeoutMs ? [timeoutPlugin(opts.timeoutMs)] : [])], httpAgent },
  );
}
