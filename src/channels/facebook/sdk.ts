// SPDX-License-Identifier: EUPL-1.2
/**
 * The real `facebook-nodejs-business-sdk` pointed at `graphBaseUrl`, one API object per Page token.
 *
 * Why a subclass and not a redefined `FacebookAdsApi.GRAPH` getter (api-contracts.md D): GRAPH is
 * process-global, so two publishers with different graphBaseUrls in one process (a sandbox next to
 * production, or two emulators in a test) would silently share the last one. Every SDK request goes
 * through `api.call(method, path, params, files, multipart, urlOverride)`, and `call` builds its URL from
 * `urlOverride || FacebookAdsApi.GRAPH`; so overriding `call` on our own instance to pass the configured
 * base as `urlOverride` points exactly this API object (and the Page/PagePost objects built on it) at its
 * base, with no global state and no SDK patch. (axios' `baseURL: GRAPH` is ignored for absolute URLs.)
 * The crash reporter stays off (third argument false): it would install a process-wide
 * uncaughtException handler that posts to Graph.
 */
import { createRequire } from 'node:module';
import { FacebookAdsApi } from 'facebook-nodejs-business-sdk';
import { keepAliveAgent } from '../keep-alive-agent.ts';

/**
 * The SDK calls axios without a timeout, so a hung request would hold its socket forever after our
 * deadline gave up on it. The SDK's own axios (resolved from the SDK, not from us) gets a default
 * timeout and our keep-alive agents; only the SDK uses axios in this process.
 */
export function setSdkRequestTimeout(ms: number): void {
  const requireFromSdk = createRequire(createRequire(import.meta.url).resolve('facebook-nodejs-business-sdk'));
  const axios = requireFromSdk('axios') as { defaults: { timeout?: number; httpAgent?: unknown; httpsAgent?: unknown } };
  axios.defaults.timeout = Math.max(axios.defaults.timeout ?? 0, ms);
  // Connections closed by us once idle, before the server closes them (src/channels/keep-alive-agent.ts).
  axios.defaults.httpAgent ??= keepAliveAgent('http:');
  axios.defaults.httpsAgent ??= keepAliveAgent('https:');
}

export class ScopedGraphApi extends FacebookAdsApi {
  readonly graphBaseUrl: string;

  constructor(accessToken: string, graphBaseUrl: string) {
    super(accessToken, 'en_US', false);
    this.graphBaseUrl = graphBaseUrl.replace(/\/+$/, '');
    // Successful answers then carry their headers, so the usage headers can become limit hints.
    this.setShowHeader(true);
  }

  override call<T>(method: string, path: string | string[], params?: Record<string, any>, files?: Record<string, any>, useMultipartFormData?: boolean, urlOverride?: string): Promise<T> {
    return super.call<T>(method, path, params, files, useMultipartFormData, urlOverride || this.graphBaseUrl);
  }
}
