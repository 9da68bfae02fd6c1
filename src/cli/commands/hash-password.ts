// SPDX-License-Identifier: EUPL-1.2
/**
 * `banditore hash-password`: reads a password on standard input and prints one line, its scrypt hash,
 * for `dashboard.users[].passwordHash`. On a terminal the password is typed twice and not shown; from a
 * pipe (`printf %s "$PW" | banditore hash-password`) the first line is read. Needs no config.
 */
import { hashPassword, MIN_PASSWORD_LENGTH, passwordLength } from '../../access/password-hash.ts';
import type { Io } from '../args.ts';

const TOO_SHORT = (n: number) => `banditore: password troppo corta (${n} caratteri): ne servono almeno ${MIN_PASSWORD_LENGTH}. Usa una frase di più parole.`;

export async function runHashPassword(args: string[], io: Io): Promise<number> {
  if (args.length) {
    io.err('banditore hash-password: nessun argomento (la password si scrive sullo standard input, mai sulla riga di comando)');
    return 2;
  }
  let password: string;
  if (process.stdin.isTTY) {
    password = await askHidden('Password: ');
    const again = await askHidden('Ripeti la password: ');
    if (again !== password) { io.err('banditore: le due password non coincidono.'); return 2; }
  } else {
    password = firstLine(await readAll());
  }
  if (passwordLength(password) < MIN_PASSWORD_LENGTH) { io.err(TOO_SHORT(passwordLength(password))); return 2; }
  io.out(await hashPassword(password));
  return 0;
}

function firstLine(text: string): string {
  const i = text.search(/\r?\n/);
  return i < 0 ? text : text.slice(0, i);
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads one line from the terminal without echoing it (raw mode; backspace and Ctrl-C work). */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(prompt);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let typed = '';
    const done = (value: string) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.removeListener('data', onData);
      process.stderr.write('\n');
      resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done(typed);
        if (ch === '\u0003') { process.stderr.write('\n'); process.exit(130); }
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    stdin.on('data', onData);
  });
}
