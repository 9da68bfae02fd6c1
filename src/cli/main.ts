/**
 * `banditore COMMAND [options]`: the one entry point for operators and for the container.
 */
import { ConfigError } from '../config/load.ts';
// Commands are imported when they run: `--help` or `parse` need not load BullMQ, the SDKs and fastify.

const HELP = `banditore — posts the job offers of employment offices on Facebook and X, once each.

Usage:
  banditore run --config FILE          poller, workers and dashboard in one process
  banditore poller --config FILE       polls the feeds and queues new offers
  banditore worker --config FILE       posts queued offers (run as many as you like)
  banditore dashboard --config FILE    the operators' dashboard
  banditore check --config FILE        validates the config and every account's credentials
  banditore preview --config FILE [--publisher ID] [--limit N]
                                       fetches the feeds once and prints the posts that would be sent
  banditore status --config FILE [--json]
  banditore pause --config FILE PUBLISHER/CHANNEL
  banditore resume --config FILE PUBLISHER/CHANNEL
  banditore parse [--json] [--publisher ID --config FILE] [--base URL] SOURCE...
                                       prints the normalized offers of feed files or URLs
`;

const io = { out: (l: string) => process.stdout.write(`${l}\n`), err: (l: string) => process.stderr.write(`${l}\n`) };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run': case 'poller': case 'worker': case 'dashboard':
      return (await import('./commands/role.ts')).runRole(command, rest, io);
    case 'check': return (await import('./commands/check.ts')).runCheck(rest, io);
    case 'preview': return (await import('./commands/preview.ts')).runPreview(rest, io);
    case 'status': return (await import('./commands/status.ts')).runStatus(rest, io);
    case 'pause': case 'resume': return (await import('./commands/pause.ts')).runPauseResume(command, rest, io);
    case 'parse': return (await import('./commands/parse.ts')).runParse(rest, io);
    case 'hash-password': return (await import('./commands/hash-password.ts')).runHashPassword(rest, io);
    case undefined: case '-h': case '--help': case 'help':
      io.out(HELP);
      return command === undefined ? 2 : 0;
    default:
      io.err(`banditore: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => {
  // Roles keep the process alive themselves; one-shot commands exit with their code.
  if (code !== -1) process.exit(code);
}, (e) => {
  if (e instanceof ConfigError) io.err(`banditore: ${e.message}`);
  else io.err(`banditore: ${(e as Error)?.message ?? e}`);
  process.exit(e instanceof ConfigError ? 2 : 1);
});
