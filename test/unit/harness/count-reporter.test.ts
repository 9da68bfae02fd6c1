// SPDX-License-Identifier: EUPL-1.2
/**
 * The closing count line CI reads, and the browser helper's two missing-browser paths, checked by
 * running vitest itself on fixture files (test/fixtures/harness/): a file that fails before its tests
 * counts every test as failed; a browser test without Chromium is skipped with one line saying why, and
 * the skip is listed; with CI=true the same file fails.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const VITEST = fileURLToPath(new URL('../../../node_modules/vitest/vitest.mjs', import.meta.url));
const CONFIG = 'test/fixtures/harness/vitest.config.ts';

function vitest(filter: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Neither this run's CI nor its colours leak into the child: each case says what it needs.
  const { CI: _ci, FORCE_COLOR: _fc, ...inherited } = process.env;
  const child = spawn(process.execPath, [VITEST, 'run', '--config', CONFIG, ...filter], {
    cwd: ROOT, env: { ...inherited, NO_COLOR: '1', BANDITORE_TEST_CHROMIUM: '/nonexistent/chromium', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => { stdout += String(b); });
  child.stderr.on('data', (b) => { stderr += String(b); });
  return new Promise((r) => child.on('exit', (code) => r({ code, stdout, stderr })));
}

const lastLine = (s: string) => s.trimEnd().split('\n').at(-1);

describe('the count reporter and the browser helper', () => {
  it('without Chromium outside CI: a broken file counts as failed, the browser tests as skipped, each said once', async () => {
    const run = await vitest([], {});
    expect(lastLine(run.stdout), run.stdout + run.stderr).toBe('1 passed, 2 failed, 2 skipped');
    expect(run.stdout).toContain('skipped: test/fixtures/harness/browser.fixture.ts (2 tests)');
    const why = (run.stdout + run.stderr).split('\n').filter((l) => l.includes('/nonexistent/chromium is missing'));
    expect(why).toHaveLength(1);
    expect(why[0]).toContain('skipped "a page test"');
    expect(run.code).toBe(1);
  }, 60_000);

  it('without Chromium in CI (CI=true): the browser tests fail, naming the missing browser', async () => {
    const run = await vitest(['browser.fixture'], { CI: 'true' });
    expect(lastLine(run.stdout), run.stdout + run.stderr).toBe('0 passed, 2 failed');
    expect(run.stdout + run.stderr).toContain('/nonexistent/chromium is missing');
    expect(run.stdout + run.stderr).toContain('CI=true: a missing browser fails the run');
    expect(run.code).toBe(1);
  }, 60_000);
});
