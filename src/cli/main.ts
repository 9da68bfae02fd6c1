// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore COMMAND [options]`: the one entry point for operators and for the container. It speaks the
 * operator's language: `--lang it|en`, else the config's `dashboard.language`, else Italian.
 */
import { createInterface } from 'node:readline/promises';
import { ConfigError } from '../config/load.ts';
import { createI18n, DEFAULT_LANGUAGE } from '../i18n/index.ts';
import { takeLanguage, type Io } from './args.ts';
// Commands are imported when they run: `--help` or `parse` need not load BullMQ, the SDKs and fastify.

const { lang, rest: argv, bad } = takeLanguage(process.argv.slice(2));
const words = createI18n(lang ?? DEFAULT_LANGUAGE);

async function ask(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try { return await rl.question(question); } finally { rl.close(); }
}

const io: Io = {
  out: (l: string) => process.stdout.write(`${l}\n`),
  err: (l: string) => process.stderr.write(`${l}\n`),
  ...(lang ? { lang } : {}),
  ask,
};

async function main(args: string[]): Promise<number> {
  if (bad !== undefined) { io.err(`banditore: ${words.t('cli_badLanguage', { value: bad })}`); return 2; }
  const [command, ...rest] = args;
  switch (command) {
    case 'run': case 'poller': case 'worker': case 'dashboard':
      return (await import('./commands/role.ts')).runRole(command, rest, io);
    case 'check': return (await import('./commands/check.ts')).runCheck(rest, io);
    case 'preview': return (await import('./commands/preview.ts')).runPreview(rest, io);
    case 'status': return (await import('./commands/status.ts')).runStatus(rest, io);
    case 'pause': case 'resume': return (await import('./commands/pause.ts')).runPauseResume(command, rest, io);
    case 'offer': return (await import('./commands/offer.ts')).runOffer(rest, io);
    case 'failures': return (await import('./commands/failures.ts')).runFailures(rest, io);
    case 'doubt': return (await import('./commands/doubt.ts')).runDoubt(rest, io);
    case 'retry': return (await import('./commands/retry.ts')).runRetry(rest, io);
    case 'cancel': return (await import('./commands/cancel.ts')).runCancel(rest, io);
    case 'parse': return (await import('./commands/parse.ts')).runParse(rest, io);
    case 'hash-password': return (await import('./commands/hash-password.ts')).runHashPassword(rest, io);
    case 'subscribers': return (await import('./commands/subscribers.ts')).runSubscribers(rest, io);
    case undefined: case '-h': case '--help': case 'help':
      io.out(words.t('cli_help'));
      return command === undefined ? 2 : 0;
    default:
      io.err(`banditore: ${words.t('cli_unknownCommand', { command })}\n\n${words.t('cli_help')}`);
      return 2;
  }
}

main(argv).then((code) => {
  // Roles keep the process alive themselves; one-shot commands exit with their code.
  if (code !== -1) process.exit(code);
}, (e) => {
  io.err(`banditore: ${(e as Error)?.message ?? e}`);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
