// SPDX-License-Identifier: EUPL-1.2
/**
 * What a log reader sees: every line the logger writes, bindings included (pino writes a child's
 * bindings once, outside the formatters), scrubbed of every secret at every level of nesting.
 */
import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/log/logger.ts';
import { REDACTED, TOO_DEEP } from '../../../src/log/redact.ts';

function capture(secrets: string[] = []) {
  const lines: string[] = [];
  const destination = new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } });
  const logger = createLogger({ level: 'debug', secrets, destination });
  return { logger, text: () => lines.join('') };
}

describe('the logger', () => {
  it('scrubs the bindings of a child logger: a feed URL with a key never shows the key', () => {
    const { logger, text } = capture(['from-env-S3CRET']);
    const log = logger.child({ publisher: 'pescara', feed: 'https://cpi.example/offerte.xml?apikey=LITERAL-K3Y&page=2' });
    log.info('feed polled');
    log.child({ other: 'https://cpi.example/x?k=from-env-S3CRET', deep: { a: { b: 'https://u:pw-9876@cpi.example/' } } }).warn({ n: 1 }, 'nested child');
    const out = text();
    expect(out).toContain('feed polled');
    expect(out).toContain('nested child');
    expect(out).toContain(`apikey=${REDACTED}&page=2`);
    for (const secret of ['LITERAL-K3Y', 'from-env-S3CRET', 'pw-9876']) expect(out).not.toContain(secret);
  });

  it('scrubs bindings set later with setBindings', () => {
    const { logger, text } = capture(['tok-abcdef']);
    const log = logger.child({ a: 1 });
    log.setBindings({ token: 'tok-abcdef' });
    log.info('after setBindings');
    expect(text()).toContain('after setBindings');
    expect(text()).not.toContain('tok-abcdef');
  });

  it("writes '[too deep]' for what is nested deeper than the limit, in a line and in bindings", () => {
    const { logger, text } = capture(['tok-abcdef']);
    let deep: Record<string, unknown> = { secret: 'tok-abcdef', raw: 'plain-value-xyz' };
    for (let i = 0; i < 12; i++) deep = { next: deep };
    logger.info({ deep }, 'deep object');
    logger.child({ deep }).info('deep binding');
    const out = text();
    expect(out).toContain('deep object');
    expect(out).toContain('deep binding');
    expect(out).toContain(TOO_DEEP);
    expect(out).not.toContain('tok-abcdef');
    expect(out).not.toContain('plain-value-xyz');
  });

  it('removes fields that hold secrets by their name, at any depth, whatever their value', () => {
    const { logger, text } = capture(['configured-S3CRET']);
    const axiosLikeError = Object.assign(new Error('Request failed with status code 400'), {
      config: { url: 'https://graph.example/v21.0/me?unlisted=T0KEN-IN-URL', headers: { Authorization: 'x' } },
    });
    logger.warn({ account: { pageAccessToken: 'EAAB-NOT-IN-CONFIG', name: 'Pescara' }, headers: { authorization: 'OAuth oauth_consumer_key=plain' }, password: 'pw-LOGGED' }, 'fields by name');
    logger.error({ err: axiosLikeError }, 'an SDK error');
    logger.child({ bot: { botToken: '123:BOT-SECRET-HALF' } }).info('a child with a token field');
    const out = text();
    expect(out).toContain('fields by name');
    expect(out).toContain('Pescara');
    expect(out).toContain('Request failed with status code 400');
    expect(out).toContain('a child with a token field');
    for (const secret of ['EAAB-NOT-IN-CONFIG', 'oauth_consumer_key=plain', 'pw-LOGGED', 'T0KEN-IN-URL', 'BOT-SECRET-HALF']) expect(out).not.toContain(secret);
  });
});
