// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore check` (the real binary) looks at each inbox folder: it must exist and be writable; and
 * `banditore preview` shows what the files waiting there would post, moving nothing.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtemp, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStack, type Stack } from '../helpers/stack.ts';
import { cli, writeConfig } from '../helpers/cli.ts';
import { readdir } from 'node:fs/promises';
import { clicLavoro, code25 } from '../integration/sources-kit.ts';

let stack: Stack | undefined;
let dir = '';
afterEach(async () => { await stack?.stop(); stack = undefined; if (dir) { await chmod(dir, 0o755).catch(() => undefined); await rm(dir, { recursive: true, force: true }); } });

const withInbox = (p: string) => ({ initialOffers: 0, publisherExtra: `    inbox:\n      path: ${p}\n      link: "https://www.example.it/offerta/{{code}}"` });

describe('banditore check and the inbox folders', () => {
  it('an inbox folder that exists and is writable is ok', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'banditore-check-'));
    stack = await startStack(withInbox(dir));
    const r = await cli(['check', '--config', writeConfig(stack.yaml)], stack.env);
    expect(r.stdout).toContain(`cartella inbox di pescara: ok — ${dir} (esiste, scrivibile)`);
    expect(r.code).toBe(0);
  });

  it('a missing folder, or a file where the folder should be, is an error (exit 1)', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'banditore-check-'));
    stack = await startStack(withInbox(path.join(dir, 'manca')));
    const missing = await cli(['check', '--config', writeConfig(stack.yaml)], stack.env);
    expect(missing.stdout).toContain(`cartella inbox di pescara: ERRORE — ${path.join(dir, 'manca')} non esiste`);
    expect(missing.code).toBe(1);
    await stack.stop();
    await writeFile(path.join(dir, 'file'), 'x');
    stack = await startStack(withInbox(path.join(dir, 'file')));
    const notDir = await cli(['check', '--config', writeConfig(stack.yaml)], stack.env);
    expect(notDir.stdout).toContain('non è una cartella');
    expect(notDir.code).toBe(1);
  });

  it('preview shows what the waiting files would post, without the personal contacts, and moves nothing', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'banditore-check-'));
    await writeFile(path.join(dir, 'vacancy.xml'), clicLavoro({ code: code25(90), title: 'Carpentiere', text: 'Scrivere a anna.verdi@gmail.com' }));
    await writeFile(path.join(dir, 'upload.xml.part'), 'half');
    stack = await startStack(withInbox(dir));
    const r = await cli(['preview', '--config', writeConfig(stack.yaml)], stack.env);
    expect(r.stdout).toContain(`== pescara — ${path.join(dir, 'vacancy.xml')}`);
    expect(r.stdout).not.toContain('upload.xml.part');
    expect(r.stdout).toContain('# Carpentiere');
    expect(r.stdout).toContain(`https://www.example.it/offerta/${code25(90)}`);
    expect(r.stdout).toContain('📍 Pescara (PE)');
    expect(r.stdout).not.toContain('anna.verdi');
    expect((await readdir(dir)).sort()).toEqual(['upload.xml.part', 'vacancy.xml']);
  });
});
