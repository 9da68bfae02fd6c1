// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore check` (the real binary) on a Telegram channel: it names the bot (getMe) and the channel
 * (getChat), says whether the bot may post there (getChatMember), and a bot that is not an administrator
 * is an error (exit 1). The bot token is never printed.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { startStack, type Stack } from '../helpers/stack.ts';
import { cli, writeConfig } from '../helpers/cli.ts';
import { startTelegramEmulator, type TgEmulator } from '../../src/channels/telegram/emulator.ts';

const TOKEN = '7000000003:AAHcheck-SECRET_part0123456789';
let stack: Stack | undefined;
let emu: TgEmulator | undefined;
afterEach(async () => { await stack?.stop(); stack = undefined; await emu?.close(); emu = undefined; });

describe('banditore check on a Telegram channel', () => {
  it('reports the bot and the channel; a bot that is not an administrator is an error', async () => {
    emu = await startTelegramEmulator({ bots: [{ token: TOKEN, username: 'cpi_pescara_bot', name: 'CPI Pescara' }], channels: [{ username: 'lavoropescara', title: 'Lavoro Pescara' }] });
    stack = await startStack({
      networks: [],
      channelsExtra: `      telegram:\n        apiBaseUrl: ${emu.url}\n        botToken: \${TG_BOT_TOKEN}\n        chat: "@lavoropescara"\n`,
      extraEnv: { TG_BOT_TOKEN: TOKEN },
    });
    const file = writeConfig(stack.yaml);
    const ok = await cli(['check', '--config', file], stack.env);
    expect(ok.stdout).toContain('pescara/telegram: ok — @cpi_pescara_bot (id 7000000003)');
    expect(ok.stdout).toContain(`  canale: «Lavoro Pescara» (@lavoropescara, id ${emu.chatIdOf('lavoropescara')}, tipo channel)`);
    expect(ok.stdout).toContain('  il bot è amministratore del canale e può pubblicare e modificare i messaggi');
    expect(ok.stdout).toContain('resta «in dubbio»');
    expect(ok.code).toBe(0);

    emu.setMember(TOKEN, '@lavoropescara', { status: 'member' });
    const member = await cli(['check', '--config', file], stack.env);
    expect(member.code).toBe(1);
    expect(member.stdout).toContain('pescara/telegram: ERRORE — @cpi_pescara_bot');
    expect(member.stdout).toContain('  ERRORE: il bot non è amministratore del canale (stato: member)');

    emu.revoke(TOKEN);
    const revoked = await cli(['check', '--config', file], stack.env);
    expect(revoked.code).toBe(1);
    expect(revoked.stdout).toMatch(/pescara\/telegram: ERRORE — Telegram: 401 Unauthorized/);
    for (const r of [ok, member, revoked]) expect(r.stdout + r.stderr).not.toContain(TOKEN.split(':')[1]!);
  }, 60_000);
});
