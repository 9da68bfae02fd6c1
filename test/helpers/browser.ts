// SPDX-License-Identifier: EUPL-1.2
/**
 * The one way page tests get a browser: Debian's Chromium at /usr/bin/chromium through playwright-core,
 * never a downloaded browser.
 *
 * Without Chromium, a browser test file says so in one line and its tests count as skipped, so that
 * `npm test` on a machine without it still tells the truth about everything else. In CI (`CI=true`) a
 * missing browser fails the run instead: a skipped page test there would hide that it never ran.
 *
 *   describeBrowser('the dashboard in a browser', () => { ... });
 *   beforeAll(async () => { browser = await launchBrowser(); });
 *
 * `BANDITORE_TEST_CHROMIUM` points the tests at another executable; it exists to check the missing-browser
 * paths (`BANDITORE_TEST_CHROMIUM=/nonexistent CI=true npx vitest run test/dashboard/browser.test.ts`).
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe } from 'vitest';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const CHROMIUM = process.env.BANDITORE_TEST_CHROMIUM || '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** Whether the browser tests can run here. */
export const hasChromium = (): boolean => existsSync(CHROMIUM);

const MISSING = `${CHROMIUM} is missing: the browser tests need Debian's chromium (apt-get update && apt-get install -y chromium)`;

/**
 * Headless, and the flags this machine needs: no sandbox (containers), no GPU, and nothing that calls
 * out to Google's services (QUIC, background networking, component updates, sync) from a test run.
 * Every launch gets a fresh profile: playwright creates a new temporary --user-data-dir per launch and
 * removes it on close (it refuses a --user-data-dir in `args`).
 */
export const browserLaunchOptions: LaunchOptions = {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};

/** Launches Chromium with `browserLaunchOptions`; a missing executable is an error that says how to install it. */
export async function launchBrowser(extra: LaunchOptions = {}): Promise<Browser> {
  if (!hasChromium()) throw new Error(IN_CI ? `${MISSING}. CI=true: a missing browser fails the run.` : MISSING);
  return chromium.launch({ ...browserLaunchOptions, ...extra, args: [...(browserLaunchOptions.args ?? []), ...(extra.args ?? [])] });
}

/**
 * `describe` for tests that need the browser. Without Chromium: skipped, with one line saying why
 * (outside CI), or failed in every test (in CI). A file whose tests all sit in skipped suites runs none of
 * its hooks, so its top-level beforeAll (starting servers, launching the browser) does not run either.
 */
export function describeBrowser(name: string, fn: () => void): void {
  if (hasChromium()) { describe(name, fn); return; }
  if (IN_CI) {
    describe(name, () => {
      beforeAll(() => { throw new Error(`${MISSING}. CI=true: a missing browser fails the run.`); });
      fn();
    });
    return;
  }
  process.stderr.write(`skipped "${name}": ${MISSING}\n`);
  describe.skip(name, fn);
}
