// SPDX-License-Identifier: EUPL-1.2
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileTemplate, loadTemplates } from '../../../src/format/templates.ts';
import { ConfigError } from '../../../src/config/load.ts';
import type { Config } from '../../../src/config/schema.ts';
import { publisher } from './fixtures.ts';

describe('compileTemplate', () => {
  it('renders plain text without HTML escaping', () => {
    const t = compileTemplate('{{title}} – {{employer}} {{url}}', 'test');
    expect(t.render({ title: 'Addetto/a "bar" & <cucina>', employer: "L'Orto d'Abruzzo", url: 'https://x.it/a?b=1&c=2' }))
      .toBe('Addetto/a "bar" & <cucina> – L\'Orto d\'Abruzzo https://x.it/a?b=1&c=2');
  });

  it('drops a section and its label when the field is empty', () => {
    const t = compileTemplate('A{{#deadline}} Scadenza: {{deadline}}{{/deadline}}.', 'test');
    expect(t.render({ deadline: '' })).toBe('A.');
    expect(t.render({})).toBe('A.');
    expect(t.render({ deadline: '15/12/2026' })).toBe('A Scadenza: 15/12/2026.');
  });

  it('rejects an unknown field, naming where and the field', () => {
    expect(() => compileTemplate('{{title}} {{#scadenza}}x{{/scadenza}}', 'publishers[0].channels.twitter.template'))
      .toThrowError(ConfigError);
    expect(() => compileTemplate('{{titolo}}', 'publishers[0].channels.twitter.template'))
      .toThrowError(/publishers\[0\]\.channels\.twitter\.template.*"titolo"/);
  });

  it('rejects partials and templates that do not parse', () => {
    expect(() => compileTemplate('{{> footer}}', 'here')).toThrowError(/here.*partials/);
    expect(() => compileTemplate('{{#title}}open', 'here')).toThrowError(/here/);
  });

  it('never exposes anything but the allowed fields', () => {
    const t = compileTemplate('[{{title}}]', 'test');
    expect(t.render({ title: 'x', ...({ constructor: 'no' } as object) })).toBe('[x]');
  });
});

describe('loadTemplates', () => {
  let dir = '';
  afterEach(() => { if (dir) rmSync(dir, { recursive: true, force: true }); dir = ''; });

  const config = (pubs: unknown[]): Config => ({ publishers: pubs } as unknown as Config);

  it('uses inline templates, template files relative to baseDir, and the defaults', () => {
    dir = mkdtempSync(join(tmpdir(), 'banditore-tpl-'));
    writeFileSync(join(dir, 'fb.mustache'), 'FB {{title}}');
    const cfg = config([
      publisher({ id: 'a' }, { twitter: { template: 'X {{title}} {{url}}' }, facebook: { templateFile: 'fb.mustache' } }),
      publisher({ id: 'b' }),
    ]);
    const map = loadTemplates(cfg, dir);
    expect(map.get('a')?.twitter?.render({ title: 'T', url: 'u' })).toBe('X T u');
    expect(map.get('a')?.facebook?.render({ title: 'T' })).toBe('FB T');
    const def = map.get('b')?.twitter?.render({ title: 'Cuoco/a', url: 'https://x.it/1', location: 'Penne', deadline: '01/12/2026' }) ?? '';
    expect(def).toContain('Cuoco/a');
    expect(def).toContain('📍 Penne');
    expect(def).toContain('Scadenza: 01/12/2026');
    expect(def).toContain('https://x.it/1');
    expect(map.get('b')?.facebook?.render({ title: 'Cuoco/a', url: 'https://x.it/1' })).toContain('Cuoco/a');
  });

  it('fails with a ConfigError naming the key when a template file is missing or wrong', () => {
    dir = mkdtempSync(join(tmpdir(), 'banditore-tpl-'));
    writeFileSync(join(dir, 'bad.mustache'), '{{title}} {{stipendio}}');
    expect(() => loadTemplates(config([publisher({}, { facebook: { templateFile: 'missing.mustache' } })]), dir))
      .toThrowError(/publishers\[0\]\.channels\.facebook\.templateFile/);
    expect(() => loadTemplates(config([publisher({}, { facebook: { templateFile: 'bad.mustache' } })]), dir))
      .toThrowError(/publishers\[0\]\.channels\.facebook\.templateFile.*"stipendio"/);
  });
});
