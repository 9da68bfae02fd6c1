/** Prints the closing line CI reads: `N passed, N failed`. */
import type { Reporter, TestModule } from 'vitest/node';

export default class CountReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      const tests = [...m.children.allTests()];
      // A file that failed before its tests could run (a beforeAll that threw: no Redis, no browser)
      // leaves them "skipped": they count as failed, or the closing line would hide the failure.
      const broken = m.state() === 'failed' && !tests.some((t) => t.result().state === 'failed');
      for (const t of tests) {
        const s = t.result().state;
        if (s === 'passed') passed++;
        else if (s === 'failed' || broken) failed++;
        else skipped++;
      }
      if (broken && !tests.length) failed++;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
