// SPDX-License-Identifier: EUPL-1.2
/**
 * Prints the closing line CI reads: `N passed, N failed` (and `, N skipped` when some were), preceded by
 * one line per file whose tests were all skipped (a browser test without Chromium), so that a skip is
 * never silent. The closing line is always the last one.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class CountReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const skippedFiles: string[] = [];
    for (const m of modules) {
      const tests = [...m.children.allTests()];
      // A file that failed before its tests could run (a beforeAll that threw: no Redis, no browser in CI,
      // a missing case file) leaves them "skipped": they count as failed, or the closing line would hide
      // the failure.
      const broken = m.state() === 'failed' && !tests.some((t) => t.result().state === 'failed');
      let fileSkipped = 0;
      for (const t of tests) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed' || broken) failed++;
        else { skipped++; fileSkipped++; }
      }
      if (broken && !tests.length) failed++;
      if (!broken && tests.length && fileSkipped === tests.length) skippedFiles.push(`skipped: ${m.relativeModuleId} (${fileSkipped} test${fileSkipped === 1 ? '' : 's'})`);
    }
    const lines = skippedFiles.length ? `\n${skippedFiles.join('\n')}` : '';
    process.stdout.write(`${lines}\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
