// SPDX-License-Identifier: EUPL-1.2
/** Which Page and app a config stands for: secret-free ids for limits, locks and shared waits. */
import type { FacebookConfig } from './config.ts';

export function fbAccount(cfg: Pick<FacebookConfig, 'pageId' | 'appId'>): { accountKey: string; appKey: string } {
  const pageId = String(cfg.pageId);
  // Without a known app id, an app-wide throttle (code 4) holds only this Page: guessing that every
  // office shares one app would let one office's throttle stop all the others.
  return { accountKey: 'fb-' + pageId, appKey: cfg.appId ? 'fbapp-' + cfg.appId : 'fbapp-page-' + pageId };
}
