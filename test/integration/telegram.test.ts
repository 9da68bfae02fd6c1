// SPDX-License-Identifier: EUPL-1.2
/**
 * Issue 15, the Telegram channel end to end: the service's runtime and workers on real Redis, grammY's
 * real `Api` against the Bot API emulator. Each offer is sent once within the channel's limits (a 429's
 * retry_after honoured, at most a couple of refusals); closing an offer edits its message to
 * "OFFERTA CHIUSA" (or deletes it within 48 hours, editing after); a lost answer leaves the post in doubt
 * for the operator and never posts twice; no personal contact of an offer reaches followers.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { startStack, waitFor, type Stack } from '../helpers/stack.ts';
import { drained } from '../helpers/evidence.ts';
import { startLife, offer, keyOf, type Life } from './life-kit.ts';
import { startTelegramEmulator, type TgEmulator, type TgMessage } from '../../src/channels/telegram/emulator.ts';
import { inDoubtForOperator } from '../../src/delivery/reconcile.ts';
import { RedisOperatorService } from '../../src/state/operator-service.ts';

const TOKEN = '7000000002:AAHintegration-SECRET_part0123456789';
const SECRET = TOKEN.split(':')[1]!;
const CHAT = 'lavoropescara';

let emu: TgEmulator | undefined;
let stack: Stack | undefined;
let life: Life | undefined;
afterEach(async () => {
  await stack?.stop(); stack = undefined;
  await life?.stop(); life = undefined;
  await emu?.close(); emu = undefined;
});

async function emulator(perChat?: { max: number; windowMs: number }[]): Promise<TgEmulator> {
  emu = await startTelegramEmulator({ bots: [{ token: TOKEN, username: 'cpi_pescara_bot', name: 'CPI Pescara' }], channels: [{ username: CHAT, title: 'Lavoro Pescara' }], ...(perChat ? { perChat } : {}) });
  return emu;
}

const block = (url: string, token: string, extra = '') => `      telegram:
        apiBaseUrl: ${url}
        botToken: ${token}
        chat: "@${CHAT}"
        backoff: { initial: 200ms, factor: 2, max: 2s }
${extra}`;

const sends = (e: TgEmulator) => e.requests().filter((r) => r.method === 'sendMessage');
const withLink = (e: TgEmulator, link: string): TgMessage[] => e.messages().filter((m) => m.text.includes(link));

describe('Telegram channel', () => {
  it('sends each offer once; a burst beyond the chat\'s limit honours each 429\'s retry_after, with at most a couple of refusals', async () => {
    // The network allows 5 messages per 3 s here (Telegram: 20 a minute, scaled down); the service's own
    // limit is looser, so the network's 429 is what paces it.
    const e = await emulator([{ max: 5, windowMs: 3000 }]);
    stack = await startStack({ networks: [], initialOffers: 12, channelsExtra: block(e.url, '${TG_BOT_TOKEN}', '        limits: [{ max: 20, per: 1m }]'), extraEnv: { TG_BOT_TOKEN: TOKEN } });
    await stack.startWorkers();
    await stack.pollOnce();
    await waitFor('12 messages in the channel', () => e.messages().length >= 12, 40_000, 100);
    await drained(stack.rt, { timeoutMs: 20_000 });

    const msgs = e.messages();
    expect(msgs).toHaveLength(12);
    const links = msgs.map((m) => /https?:\/\/\S+\/offerte\/\S+/.exec(m.text)?.[0]);
    expect(new Set(links).size).toBe(12);
    expect(msgs.every((m) => !m.deleted && m.history.length === 0 && m.text.startsWith('💼 '))).toBe(true);

    const all = sends(e);
    const refused = all.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeLessThanOrEqual(2);
    for (const r of refused) {
      expect(r.retryAfter).toBeGreaterThanOrEqual(1);
      // Nothing was sent to the chat until the wait Telegram asked for had passed.
      const next = all.find((x) => x.at > r.at);
      expect(next, 'a send after the 429').toBeDefined();
      expect(next!.at).toBeGreaterThanOrEqual(r.at + r.retryAfter! * 1000 - 20);
    }
    for (const key of await stack.rt.offers.list('pescara', 0, 100)) {
      const entry = await stack.rt.ledger.get('pescara', 'telegram', key);
      expect(entry?.state).toBe('posted');
      expect(entry?.permalink).toMatch(new RegExp(`^https://t\\.me/${CHAT}/\\d+$`));
    }
    expect(stack.logs.join('')).not.toContain(SECRET);
  }, 60_000);

  it('a lost answer (committed, then the connection dropped) leaves the post in doubt for the operator and never posts it twice', async () => {
    const e = await emulator();
    stack = await startStack({ networks: [], initialOffers: 2, postTimeout: '1s', channelsExtra: block(e.url, '${TG_BOT_TOKEN}'), extraEnv: { TG_BOT_TOKEN: TOKEN } });
    e.commitThenDropNext(1);
    await stack.startWorkers();
    await stack.pollOnce();
    const keys = await stack.rt.offers.list('pescara', 0, 100);
    const s = stack;
    await waitFor('one posted and one in doubt', async () => {
      const states = await Promise.all(keys.map(async (k) => (await s.rt.ledger.get('pescara', 'telegram', k))?.state));
      return states.filter((x) => x === 'posted').length === 1 && states.filter((x) => x === 'unknown').length === 1
        && (await Promise.all(keys.map((k) => s.rt.ledger.get('pescara', 'telegram', k)))).some((l) => l?.lastError === inDoubtForOperator('Telegram'));
    }, 30_000, 100);
    await drained(stack.rt, { timeoutMs: 20_000 });

    // Both offers are in the channel once each: the dropped send was committed, and was not sent again.
    expect(e.messages()).toHaveLength(2);
    expect(sends(e).filter((r) => r.status === 200 || r.status === 'dropped')).toHaveLength(2);
    const entries = await Promise.all(keys.map((k) => stack!.rt.ledger.get('pescara', 'telegram', k)));
    const doubt = entries.find((x) => x?.state === 'unknown')!;
    expect(doubt.remoteId ?? '').toBe('');
    expect(doubt.lastError).toBe(inDoubtForOperator('Telegram'));
    // The operator sees it beside the post on the dashboard, and is alerted once.
    const doubtKey = keys[entries.indexOf(doubt)]!;
    const view = await new RedisOperatorService(stack.rt).getOffer('pescara', doubtKey);
    const channel = view!.channels.find((c) => c.network === 'telegram')!;
    expect(channel.state).toBe('unknown');
    expect(channel.lastError?.message).toBe(inDoubtForOperator('Telegram'));
    // `banditore offer` says why: the operator decides (not "Banditore will look for it").
    const found = await new RedisOperatorService(stack.rt).findOffer('pescara', doubtKey);
    expect(found?.offer.channels.find((c) => c.network === 'telegram')?.why?.kind).toBe('in-doubt-operator');
    const alerts = stack.logs.filter((l) => l.includes('"alert":true') && l.includes('post in doubt'));
    expect(alerts).toHaveLength(1);
  }, 60_000);

  it('a digest whose answer was lost stays in doubt too: it is not sent again', async () => {
    const e = await emulator();
    stack = await startStack({ networks: [], initialOffers: 4, postTimeout: '1s', publisherExtra: '    digest: { over: 2, link: https://lavoro.example.it/offerte }', channelsExtra: block(e.url, '${TG_BOT_TOKEN}'), extraEnv: { TG_BOT_TOKEN: TOKEN } });
    e.commitThenDropNext(1);
    await stack.startWorkers();
    await stack.pollOnce();
    const s = stack;
    await waitFor('the digest left in doubt', () => s.logs.some((l) => l.includes('"alert":true') && l.includes('post in doubt')), 30_000, 100);
    await drained(stack.rt, { timeoutMs: 20_000 });
    expect(e.messages()).toHaveLength(1);
    expect(e.messages()[0]!.text).toMatch(/4 nuove offerte di lavoro/);
    expect(sends(e)).toHaveLength(1);
  }, 60_000);

  it('closing an offer edits its message to "OFFERTA CHIUSA" on top; the other message is untouched', async () => {
    const e = await emulator();
    life = await startLife({ networks: [], initial: [offer(1), offer(2)], feedExtra: '        onRemoval: close', channelsExtra: block(e.url, TOKEN) });
    const l = life;
    await l.startWorkers();
    await l.pollOnce();
    await waitFor('2 messages', () => e.messages().length === 2, 20_000, 100);
    const gone = l.office.linkOf(offer(1).code);
    const stays = l.office.linkOf(offer(2).code);
    const original = withLink(e, gone)[0]!.text;
    l.office.list = [offer(2)];
    for (let i = 0; i < 2; i++) expect(await l.pollOnce()).toMatchObject({ removed: 0 });
    expect(await l.pollOnce()).toMatchObject({ removed: 1 });
    await waitFor('the message edited', () => withLink(e, gone)[0]?.history.length === 1, 20_000, 100);
    await drained(l.rt);

    const [closed] = withLink(e, gone);
    expect(closed!.deleted).toBe(false);
    expect(closed!.text.split('\n')[0]).toBe('❌ OFFERTA CHIUSA');
    expect(closed!.text).toContain(offer(1).title);
    expect(closed!.history.map((h) => h.text)).toEqual([original]);
    expect(withLink(e, stays)[0]!.history).toHaveLength(0);
    expect(e.messages()).toHaveLength(2);
    expect((await l.rt.ledger.get('pescara', 'telegram', await keyOf(l, gone)))?.state).toBe('closed');
    expect(l.logs.join('')).not.toContain(SECRET);
  }, 60_000);

  it('closeAction: delete deletes a recent message; once Telegram refuses the delete (48 hours), the message is edited instead', async () => {
    const e = await emulator();
    life = await startLife({ networks: [], initial: [offer(1), offer(2)], feedExtra: '        onRemoval: close', channelsExtra: block(e.url, TOKEN, '        closeAction: delete') });
    const l = life;
    await l.startWorkers();
    await l.pollOnce();
    await waitFor('2 messages', () => e.messages().length === 2, 20_000, 100);
    const first = l.office.linkOf(offer(1).code);
    const second = l.office.linkOf(offer(2).code);
    l.office.list = [offer(2)];
    for (let i = 0; i < 3; i++) await l.pollOnce();
    await waitFor('the first message deleted', () => withLink(e, first)[0]?.deleted, 20_000, 100);
    await drained(l.rt);
    // Telegram's clock is now past 48 hours (ours is not): the delete is refused and closing edits.
    e.advance(49 * 3_600_000);
    // (A feed listing nothing at all looks broken and closes nothing: a new offer keeps it believable.)
    l.office.list = [offer(3)];
    for (let i = 0; i < 3; i++) await l.pollOnce();
    await waitFor('the second message edited', () => withLink(e, second)[0]?.history.length === 1, 20_000, 100);
    await drained(l.rt);
    const [old] = withLink(e, second);
    expect(old!.deleted).toBe(false);
    expect(old!.text.startsWith('❌ OFFERTA CHIUSA\n')).toBe(true);
    expect(withLink(e, first)[0]!.history).toHaveLength(0);
    expect((await l.rt.ledger.get('pescara', 'telegram', await keyOf(l, second)))?.state).toBe('closed');
    expect((await l.rt.ledger.get('pescara', 'telegram', await keyOf(l, second)))?.reason).toBe('closed: post edited');
    expect(l.logs.some((x) => x.includes('no longer deletes this post'))).toBe(true);
  }, 60_000);

  it('no personal contact of an offer (e-mail, phone) appears in a message', async () => {
    const e = await emulator();
    const contacts = offer(1, { description: 'Magazzino a Spoltore, turni diurni. Inviare il CV a mario.rossi@example.it oppure chiamare il 333 1234567 o lo 085/4212345.' });
    life = await startLife({ networks: [], initial: [contacts, offer(2)], channelsExtra: block(e.url, TOKEN) });
    await life.startWorkers();
    await life.pollOnce();
    await waitFor('2 messages', () => e.messages().length === 2, 20_000, 100);
    await drained(life.rt);
    const [m] = withLink(e, life.office.linkOf(contacts.code));
    expect(m!.text).toContain(contacts.title);
    expect(m!.text).toContain('Spoltore');
    for (const m2 of e.messages()) {
      expect(m2.text).not.toMatch(/mario\.rossi|@example\.it/);
      expect(m2.text.replace(/\s/g, '')).not.toMatch(/3331234567|0854212345|085\/4212345/);
    }
  }, 60_000);
});
