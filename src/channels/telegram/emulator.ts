// SPDX-License-Identifier: EUPL-1.2
/**
 * Telegram Bot API emulator: the methods Banditore calls (getMe, getChat, getChatMember, sendMessage,
 * editMessageText, deleteMessage) at `/bot<token>/<method>`, with the Bot API's envelope
 * (`{ok:true, result}` / `{ok:false, error_code, description, parameters}`, HTTP status = error_code) and
 * its words (channels.md 1.1-1.5). grammY's `Api` is pointed here by its `apiRoot`.
 *
 * Unkind as Telegram is: per-chat limits (20 a minute and 1 a second, fixed windows) answered with 429
 * and `parameters.retry_after`; a message deleted only within 48 hours of its date (on a clock the test
 * moves: `advance`); HTML parsed as the Bot API does, refusing unknown or unclosed tags ("can't parse
 * entities") and counting the length after parsing in UTF-16 units; an unknown or revoked token is 401;
 * a kicked bot, a bot that is only a member, or an administrator without the right to post; and the three
 * kinds of lost answer for sendMessage (src/sandbox/emulators/faults.ts). There is no method to read the
 * channel's messages, as a bot has none: tests read what followers see through `messages()` (each with
 * its edit history), which only the test can call.
 */
import type * as http from 'node:http';
import { startServer, sendJson, parseBody, handleControl, type RunningServer } from '../../sandbox/emulators/http-kit.ts';
import { FaultPlan, WindowCounter, type FaultRates, type LimitWindow } from '../../sandbox/emulators/faults.ts';

export interface TgBotSpec { token: string; username: string; name?: string }
export interface TgChannelSpec {
  /** Without '@'. */
  username?: string;
  title: string;
  /** -100… ; made up from a counter when absent. */
  id?: number;
}

/** A bot's place in a channel, as getChatMember answers it. */
export type TgMemberStatus = 'creator' | 'administrator' | 'member' | 'left' | 'kicked';
export interface TgMembership { status: TgMemberStatus; canPost: boolean; canEdit: boolean; canDelete: boolean }

export interface TgMessage {
  chatId: number;
  messageId: number;
  /** What followers see: the text after entity parsing. */
  text: string;
  /** The HTML the bot sent. */
  html: string;
  entities: Array<{ type: string; offset: number; length: number; url?: string }>;
  /** Epoch seconds on the emulator's clock. */
  date: number;
  /** Earlier versions, oldest first. */
  history: Array<{ text: string; replacedAt: number }>;
  deleted: boolean;
  deletedAt?: number;
}

/** One request the emulator answered (or did not), for tests that check pacing. */
export interface TgRequest { method: string; chat?: string; at: number; status: number | 'dropped' | 'hung'; retryAfter?: number }

export interface TgFailSpec {
  status: number;
  description?: string;
  retryAfter?: number;
  /** A raw body instead of the envelope (an HTML page from a gateway), with its content type. */
  body?: string;
  contentType?: string;
  /** `send` (default): only sendMessage; `any`: the next request of any method. */
  match?: 'send' | 'any';
}

export interface TgEmulatorOptions {
  port?: number;
  host?: string;
  bots?: TgBotSpec[];
  /** Channels; every bot given here is their administrator with every right, unless changed by `setMember`. */
  channels?: TgChannelSpec[];
  /** Per-chat windows for messages sent, edited and deleted (default 20 a minute and 1 a second). */
  perChat?: LimitWindow[];
  /** The clock message dates and the 48-hour rule read (default Date.now); `advance` moves it on. */
  now?: () => number;
}

export const TG_DEFAULT_PER_CHAT: LimitWindow[] = [{ max: 20, windowMs: 60_000 }, { max: 1, windowMs: 1000 }];
const DELETE_WINDOW_S = 48 * 3600;
const MAX_LENGTH = 4096;

class BotApiError extends Error {
  constructor(readonly code: number, readonly description: string, readonly retryAfter?: number) { super(description); }
}
const bad = (d: string) => new BotApiError(400, `Bad Request: ${d}`);

const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);
const ENTITY_OF: Record<string, string> = { b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline', s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', span: 'spoiler', 'tg-spoiler': 'spoiler', a: 'text_link', code: 'code', pre: 'pre', blockquote: 'blockquote', 'tg-emoji': 'custom_emoji' };
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** The Bot API's HTML mode: text and entities, or its "can't parse entities" error. Offsets in UTF-16 units. */
export function parseTelegramHtml(html: string): { text: string; entities: TgMessage['entities'] } {
  let text = '';
  const entities: TgMessage['entities'] = [];
  const open: Array<{ tag: string; offset: number; url?: string }> = [];
  const byteOffset = (i: number) => Buffer.byteLength(html.slice(0, i));
  let i = 0;
  while (i < html.length) {
    const c = html[i]!;
    if (c === '<') {
      const end = html.indexOf('>', i);
      if (end < 0) throw bad(`can't parse entities: Unclosed start tag at byte offset ${byteOffset(i)}`);
      const inner = html.slice(i + 1, end);
      if (inner.startsWith('/')) {
        const tag = inner.slice(1).trim().toLowerCase();
        const top = open.pop();
        if (!top || top.tag !== tag) throw bad(`can't parse entities: Unmatched end tag at byte offset ${byteOffset(i)}, expected "</${top?.tag ?? ''}>", found "</${tag}>"`);
        if (text.length > top.offset) entities.push({ type: ENTITY_OF[tag] ?? tag, offset: top.offset, length: text.length - top.offset, ...(top.url ? { url: top.url } : {}) });
      } else {
        const m = /^([a-zA-Z-]+)(\s[\s\S]*)?$/.exec(inner);
        const tag = m?.[1]?.toLowerCase() ?? '';
        if (!ALLOWED_TAGS.has(tag)) throw bad(`can't parse entities: Unsupported start tag "${tag || inner.slice(0, 10)}" at byte offset ${byteOffset(i)}`);
        const href = /href\s*=\s*"([^"]*)"/.exec(m?.[2] ?? '')?.[1];
        open.push({ tag, offset: text.length, ...(href ? { url: href.replace(/&amp;/g, '&') } : {}) });
      }
      i = end + 1;
    } else if (c === '&') {
      const m = /^&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/.exec(html.slice(i, i + 12));
      if (!m) { text += '&'; i++; continue; }
      const name = m[1]!;
      if (name.startsWith('#')) text += String.fromCodePoint(name[1] === 'x' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
      else if (NAMED[name]) text += NAMED[name];
      else throw bad(`can't parse entities: Unsupported HTML entity "&${name};" at byte offset ${byteOffset(i)}`);
      i += m[0].length;
    } else {
      text += c;
      i++;
    }
  }
  if (open.length) throw bad(`can't parse entities: Can't find end tag corresponding to start tag "${open[open.length - 1]!.tag}"`);
  return { text, entities };
}

export interface TgEmulator {
  url: string;
  close(): Promise<void>;
  /** Every message ever sent, with its edit history and whether it was deleted: what followers saw. */
  messages(): TgMessage[];
  /** Every Bot API request answered, in order. */
  requests(): TgRequest[];
  /** The chat id of a channel, by its username (without '@'). */
  chatIdOf(username: string): number;
  addBot(bot: TgBotSpec): void;
  addChannel(ch: TgChannelSpec): number;
  /** The bot's place in a channel (by token): kicked, only a member, an administrator without rights. */
  setMember(token: string, chat: string | number, m: Partial<TgMembership> & { status: TgMemberStatus }): void;
  revoke(token: string): void;
  unrevoke(token: string): void;
  failNext(count: number, spec: TgFailSpec): void;
  /** Commit-then-drop: store the next N messages, then destroy the socket without answering. */
  commitThenDropNext(count?: number): void;
  /** Hang-before-commit: never store and never answer the next N messages. */
  hangBeforeCommitNext(count?: number): void;
  /** Commit-then-hang: store the next N messages and never answer. */
  commitThenHangNext(count?: number): void;
  setFaultRates(rates: FaultRates): void;
  setSeed(seed: number | null): void;
  setLimits(perChat: LimitWindow[]): void;
  /** Moves the emulator's clock on (the 48-hour rule, message dates). */
  advance(ms: number): void;
  reset(): void;
}

export async function startTelegramEmulator(opts: TgEmulatorOptions = {}): Promise<TgEmulator> {
  const base = opts.now ?? Date.now;
  let offset = 0;
  const now = () => base() + offset;
  const bots = new Map<string, { id: number; username: string; name: string }>();
  const revoked = new Set<string>();
  const chats = new Map<number, { id: number; username?: string; title: string; nextId: number }>();
  const byUsername = new Map<string, number>();
  const members = new Map<string, TgMembership>();
  let messages: TgMessage[] = [];
  let requests: TgRequest[] = [];
  let perChat = opts.perChat ?? TG_DEFAULT_PER_CHAT;
  const counters = new WindowCounter();
  const sendFaults = new FaultPlan();
  let anyFails: TgFailSpec[] = [];
  let sendFails: TgFailSpec[] = [];
  let chatSeq = 1_000_000_000;

  const memberKey = (botId: number, chatId: number) => `${botId}|${chatId}`;
  function addBot(b: TgBotSpec): void {
    const id = Number(/^(\d+):/.exec(b.token)?.[1] ?? NaN);
    if (!Number.isFinite(id)) throw new Error(`a bot token starts with the bot's id: "123:…" (got ${b.token.slice(0, 4)}…)`);
    bots.set(b.token, { id, username: b.username.replace(/^@/, ''), name: b.name ?? b.username });
    for (const c of chats.values()) if (!members.has(memberKey(id, c.id))) members.set(memberKey(id, c.id), { status: 'administrator', canPost: true, canEdit: true, canDelete: true });
  }
  function addChannel(ch: TgChannelSpec): number {
    const id = ch.id ?? -(1_000_000_000_000 + ++chatSeq);
    chats.set(id, { id, title: ch.title, nextId: 1, ...(ch.username ? { username: ch.username.replace(/^@/, '') } : {}) });
    if (ch.username) byUsername.set(ch.username.replace(/^@/, '').toLowerCase(), id);
    for (const b of bots.values()) if (!members.has(memberKey(b.id, id))) members.set(memberKey(b.id, id), { status: 'administrator', canPost: true, canEdit: true, canDelete: true });
    return id;
  }
  for (const c of opts.channels ?? []) addChannel(c);
  for (const b of opts.bots ?? []) addBot(b);

  function chatOf(ref: unknown): { id: number; username?: string; title: string; nextId: number } {
    const s = String(ref ?? '');
    const id = s.startsWith('@') ? byUsername.get(s.slice(1).toLowerCase()) : /^-?\d+$/.test(s) ? Number(s) : undefined;
    const chat = id !== undefined ? chats.get(id) : undefined;
    if (!chat) throw bad('chat not found');
    return chat;
  }
  const chatView = (c: { id: number; username?: string; title: string }) => ({ id: c.id, title: c.title, type: 'channel', ...(c.username ? { username: c.username } : {}) });

  /** The bot must be in the channel, and (for a change) an administrator with the right to do it. */
  function mustBeAbleTo(botId: number, chatId: number, right?: 'canPost' | 'canEdit' | 'canDelete'): void {
    const m = members.get(memberKey(botId, chatId)) ?? { status: 'left', canPost: false, canEdit: false, canDelete: false };
    if (m.status === 'kicked') throw new BotApiError(403, 'Forbidden: bot was kicked from the channel chat');
    if (m.status === 'left') throw new BotApiError(403, 'Forbidden: bot is not a member of the channel chat');
    if (!right || m.status === 'creator') return;
    if (m.status !== 'administrator') throw bad('need administrator rights in the channel chat');
    if (!m[right]) throw bad(right === 'canPost' ? 'need administrator rights in the channel chat' : right === 'canEdit' ? 'not enough rights to edit the message' : "message can't be deleted");
  }

  /** Counts one change in the chat's windows, or refuses it with 429 and the seconds until the fullest window resets. */
  function spendLimit(chatId: number): void {
    const t = now();
    const full = perChat.map((w) => counters.peek(`c:${chatId}`, w, t)).filter((p) => p.remaining === 0);
    if (full.length) {
      const wait = Math.max(1, Math.ceil((Math.max(...full.map((p) => p.resetAt)) - t) / 1000));
      throw new BotApiError(429, `Too Many Requests: retry after ${wait}`, wait);
    }
    for (const w of perChat) counters.hit(`c:${chatId}`, w, t);
  }

  function parsedText(params: Record<string, unknown>): { text: string; html: string; entities: TgMessage['entities'] } {
    const raw = typeof params.text === 'string' ? params.text : '';
    const parsed = params.parse_mode === 'HTML' ? parseTelegramHtml(raw) : { text: raw, entities: [] };
    // Telegram trims the text after parsing, and counts what is left.
    const text = parsed.text.trim();
    if (!text) throw bad('message text is empty');
    if (text.length > MAX_LENGTH) throw bad('message is too long');
    return { text, html: raw, entities: parsed.entities };
  }

  const messageView = (m: TgMessage, chat: { id: number; username?: string; title: string }, edit = false) => ({
    message_id: m.messageId, sender_chat: chatView(chat), chat: chatView(chat), date: m.date, text: m.text,
    ...(m.entities.length ? { entities: m.entities } : {}), ...(edit ? { edit_date: Math.floor(now() / 1000) } : {}),
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/__control/')) return handleControl(controls, req, res, body);
    const at = now();
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    const method = m?.[2] ?? '';
    const params: Record<string, unknown> = { ...Object.fromEntries(url.searchParams), ...parseBody(req, body) };
    const log: TgRequest = { method, at, status: 200, ...(params.chat_id !== undefined ? { chat: String(params.chat_id) } : {}) };
    requests.push(log);
    const answer = (status: number, b: unknown, contentType?: string) => { log.status = status; sendJson(res, status, b, {}, contentType); };
    const fail = (e: BotApiError) => {
      if (e.retryAfter !== undefined) log.retryAfter = e.retryAfter;
      answer(e.code, { ok: false, error_code: e.code, description: e.description, ...(e.retryAfter !== undefined ? { parameters: { retry_after: e.retryAfter } } : {}) });
    };
    if (!m) return fail(new BotApiError(404, 'Not Found'));
    const token = decodeURIComponent(m[1]!);
    const bot = bots.get(token);
    if (!bot || revoked.has(token)) return fail(new BotApiError(401, 'Unauthorized'));
    const scripted = anyFails.shift() ?? (method === 'sendMessage' ? sendFails.shift() : undefined);
    if (scripted) {
      if (scripted.body !== undefined) return answer(scripted.status, scripted.body, scripted.contentType ?? 'text/html; charset=utf-8');
      return fail(new BotApiError(scripted.status, scripted.description ?? `Emulated failure ${scripted.status}`, scripted.retryAfter));
    }
    try {
      switch (method) {
        case 'getMe': return answer(200, { ok: true, result: { id: bot.id, is_bot: true, first_name: bot.name, username: bot.username, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } });
        case 'getChat': {
          const chat = chatOf(params.chat_id);
          mustBeAbleTo(bot.id, chat.id);
          return answer(200, { ok: true, result: { ...chatView(chat), accent_color_id: 0, max_reaction_count: 11 } });
        }
        case 'getChatMember': {
          const chat = chatOf(params.chat_id);
          const who = Number(params.user_id);
          const target = [...bots.values()].find((b) => b.id === who);
          if (!target) throw bad('user not found');
          const mb = members.get(memberKey(who, chat.id)) ?? { status: 'left', canPost: false, canEdit: false, canDelete: false };
          const user = { id: target.id, is_bot: true, first_name: target.name, username: target.username };
          if (mb.status === 'administrator') {
            return answer(200, { ok: true, result: { status: 'administrator', user, can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: mb.canDelete, can_post_messages: mb.canPost, can_edit_messages: mb.canEdit, can_change_info: false, can_invite_users: false } });
          }
          return answer(200, { ok: true, result: { status: mb.status, user } });
        }
        case 'sendMessage': {
          const chat = chatOf(params.chat_id);
          const fault = sendFaults.take();
          if (fault?.kind === 'hang') { log.status = 'hung'; return; } // hang-before-commit: nothing stored
          mustBeAbleTo(bot.id, chat.id, 'canPost');
          const { text, html, entities } = parsedText(params);
          spendLimit(chat.id);
          const msg: TgMessage = { chatId: chat.id, messageId: chat.nextId++, text, html, entities, date: Math.floor(now() / 1000), history: [], deleted: false };
          messages.push(msg);
          if (fault?.kind === 'drop') { log.status = 'dropped'; res.socket?.destroy(); return; }
          if (fault?.kind === 'commit-hang') { log.status = 'hung'; return; } // stored; the answer never comes
          return answer(200, { ok: true, result: messageView(msg, chat) });
        }
        case 'editMessageText': {
          const chat = chatOf(params.chat_id);
          mustBeAbleTo(bot.id, chat.id, 'canEdit');
          const msg = messages.find((x) => x.chatId === chat.id && x.messageId === Number(params.message_id) && !x.deleted);
          if (!msg) throw bad('message to edit not found');
          const { text, html, entities } = parsedText(params);
          if (text === msg.text && JSON.stringify(entities) === JSON.stringify(msg.entities)) {
            throw bad('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
          }
          spendLimit(chat.id);
          msg.history.push({ text: msg.text, replacedAt: Math.floor(now() / 1000) });
          Object.assign(msg, { text, html, entities });
          return answer(200, { ok: true, result: messageView(msg, chat, true) });
        }
        case 'deleteMessage': {
          const chat = chatOf(params.chat_id);
          mustBeAbleTo(bot.id, chat.id, 'canDelete');
          const msg = messages.find((x) => x.chatId === chat.id && x.messageId === Number(params.message_id) && !x.deleted);
          if (!msg) throw bad('message to delete not found');
          if (Math.floor(now() / 1000) - msg.date >= DELETE_WINDOW_S) throw bad("message can't be deleted");
          spendLimit(chat.id);
          msg.deleted = true;
          msg.deletedAt = Math.floor(now() / 1000);
          return answer(200, { ok: true, result: true });
        }
        default: return fail(new BotApiError(404, 'Not Found'));
      }
    } catch (e) {
      if (e instanceof BotApiError) return fail(e);
      throw e;
    }
  }

  const controls = {
    messages: () => messages.map((x) => ({ ...x, entities: x.entities.map((e) => ({ ...e })), history: x.history.map((h) => ({ ...h })) })),
    requests: () => requests.map((r) => ({ ...r })),
    chatIdOf: (username: string) => {
      const id = byUsername.get(username.replace(/^@/, '').toLowerCase());
      if (id === undefined) throw new Error(`no channel @${username}`);
      return id;
    },
    addBot,
    addChannel,
    setMember: (token: string, chat: string | number, mb: Partial<TgMembership> & { status: TgMemberStatus }) => {
      const bot = bots.get(token);
      if (!bot) throw new Error('unknown bot token');
      const c = chatOf(typeof chat === 'string' && !chat.startsWith('@') && !/^-?\d+$/.test(chat) ? `@${chat}` : chat);
      const admin = mb.status === 'administrator' || mb.status === 'creator';
      members.set(memberKey(bot.id, c.id), { status: mb.status, canPost: mb.canPost ?? admin, canEdit: mb.canEdit ?? admin, canDelete: mb.canDelete ?? admin });
    },
    revoke: (t: string) => void revoked.add(t),
    unrevoke: (t: string) => void revoked.delete(t),
    failNext: (count: number, spec: TgFailSpec) => {
      for (let i = 0; i < count; i++) (spec.match === 'any' ? anyFails : sendFails).push(spec);
    },
    commitThenDropNext: (count = 1) => sendFaults.dropNext(count),
    hangBeforeCommitNext: (count = 1) => sendFaults.hangNext(count),
    commitThenHangNext: (count = 1) => sendFaults.commitThenHangNext(count),
    setFaultRates: (r: FaultRates) => sendFaults.setRates(r),
    setSeed: (seed: number | null) => sendFaults.setSeed(seed),
    setLimits: (l: LimitWindow[]) => { perChat = l; counters.clear(); },
    advance: (ms: number) => { offset += ms; },
    reset: () => { messages = []; requests = []; revoked.clear(); sendFaults.clear(); anyFails = []; sendFails = []; counters.clear(); for (const c of chats.values()) c.nextId = 1; },
  };

  const server: RunningServer = await startServer(handle, opts);
  return { url: server.url, close: server.close, ...controls };
}
