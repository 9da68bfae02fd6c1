// SPDX-License-Identifier: EUPL-1.2
import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../../src/config/load.ts';
import { readEnvironment } from '../../../src/config/env.ts';
import { loadTemplates } from '../../../src/format/templates.ts';

const anyVar = readEnvironment(new Proxy({}, { get: (_t, k) => (typeof k === 'string' && /^[A-Z]/.test(k) ? `value-of-${k}` : undefined) }) as NodeJS.ProcessEnv);

describe('the configs we ship', () => {
  for (const name of ['example.yaml', 'demo.yaml']) {
    it(`config/${name} is valid and its templates compile`, () => {
      const file = fileURLToPath(new URL(`../../../config/${name}`, import.meta.url));
      const loaded = loadConfig(file, anyVar);
      expect(loaded.config.publishers.length).toBeGreaterThan(0);
      const templates = loadTemplates(loaded.config, loaded.baseDir);
      for (const p of loaded.config.publishers) expect(templates.get(p.id)).toBeDefined();
    });
  }
});
