// SPDX-License-Identifier: EUPL-1.2
/**
 * grammY's `Api` for one bot, pointed at `apiBaseUrl`, used only as a sender: no Bot, no polling, no
 * plugins. grammY retries nothing by itself (retries are the auto-retry plugin's, which is not installed:
 * by default it retries network errors and 5xx forever, which could post twice; channels.md 1.6). The
 * queue owns every retry. grammY's own timeout (500 s by default) is set just past our deadline, so a
 * hung request frees its socket soon after the deadline has given up on it.
 */
import { Api } from 'grammy';
import type { TelegramConfig } from './config.ts';

export function createTgApi(cfg: Pick<TelegramConfig, 'botToken' | 'apiBaseUrl'>, opts: { timeoutMs: number }): Api {
  return new Api(cfg.botToken, {
    apiRoot: cfg.apiBaseUrl.replace(/\/+$/, ''),
    timeoutSeconds: Math.ceil(opts.timeoutMs / 1000) + 1,
    // Never put the request (whose URL holds the token) into grammY's error messages.
    sensitiveLogs: false,
  });
}
