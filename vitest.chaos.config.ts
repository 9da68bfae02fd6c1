import { defineConfig } from 'vitest/config';

// `npm run test:chaos`: processes killed again and again, Redis killed once. One file at a time: the
// suite starts its own redis-server and several banditore processes on a 2-core machine.
export default defineConfig({
  test: {
    include: ['test/chaos/**/*.test.ts'],
    testTimeout: 420_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 1,
    reporters: ['default', './test/helpers/count-reporter.ts'],
  },
});
