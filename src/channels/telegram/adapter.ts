// SPDX-License-Identifier: EUPL-1.2
/**
 * The Telegram channel: posts, edits and deletes messages of one channel through grammY's `Api` with
 * the bot's token. It never retries: every failure becomes a classified ChannelError (classify.ts) whose
 * message is scrubbed of the token (the token is part of every Bot API URL: /bot<TOKEN>/method).
 *
 * The rendered text is plain; it is sent HTML-escaped with `parse_mode: HTML`, so nothing in an offer
 * (a "<" in a title, an "&" in a company name) can become markup or a parse error.
 */
import type { Api } from 'grammy';
import type { TelegramConfig } from './config.ts';
import { makeScrubber } from '../../log/redact.ts';
import { ChannelError, type AccountIdentity, type AccountReport, type Channel, type PostOutcome, type RenderedPost } from '../channel.ts';
import { withDeadline } from '../deadline.ts';
import { createTgApi } from './sdk.ts';
import { classifyTgError } from './classify.ts';
import { tgAccount } from './account.ts';
import { escapeHtml } from './text.ts';

/** grammY types its signals with the abort-controller shim's class; Node's own AbortSignal is what it gets and uses. */
type GrammySignal = NonNullable<Parameters<Api['getMe']>[0]>;

/** A message as the ledger knows it: "<chat id>_<message id>" (the chat the message is in, by its numeric id). */
export function tgRemoteId(chatId: number | string, messageId: number): string {
  return `${chatId}_${messageId}`;
}

export function parseTgRemoteId(remoteId: string, fallbackChat: string): { chat: string; messageId: number } {
  const m = /^(-?\d+)_(\d+)$/.exec(remoteId);
  if (m) return { chat: m[1]!, messageId: Number(m[2]) };
  return { chat: fallbackChat, messageId: Number(remoteId) };
}

/** t.me/<username>/<id> for a public channel; t.me/c/<id without -100>/<id> for a private one (members only). */
export function tgPermalink(chat: { id: number | string; username?: string }, messageId: number): string {
  if (chat.username) return `https://t.me/${chat.username}/${messageId}`;
  return `https://t.me/c/${String(chat.id).replace(/^-100/, '')}/${messageId}`;
}

export class TelegramChannel implements Channel {
  readonly network = 'telegram' as const;
  readonly accountKey: string;
  readonly appKey: string;
  private readonly api: Api;
  private readonly chat: string;
  private readonly scrub: (s: string) => string;

  constructor(cfg: TelegramConfig, private readonly opts: { timeoutMs: number }) {
    ({ accountKey: this.accountKey, appKey: this.appKey } = tgAccount(cfg));
    this.chat = String(cfg.chat);
    this.api = createTgApi(cfg, opts);
    // The whole token, and its secret half on its own (a URL may be cut or encoded around the colon).
    const secretHalf = cfg.botToken.split(':')[1] ?? '';
    const scrubber = makeScrubber([cfg.botToken, ...(secretHalf.length >= 8 ? [secretHalf] : [])]);
    this.scrub = (s) => scrubber(s);
  }

  /** Runs one Bot API call under the deadline (aborting the request when it passes) and classifies any failure. */
  private async call<T>(what: string, work: (signal: GrammySignal) => Promise<T>, op: 'read' | 'write' = 'write'): Promise<T> {
    const abort = new AbortController();
    try {
      return await withDeadline(work(abort.signal as unknown as GrammySignal), this.opts.timeoutMs, `Telegram ${what}`);
    } catch (e) {
      throw classifyTgError(e, this.scrub, op);
    } finally {
      abort.abort();
    }
  }

  async verify(): Promise<AccountIdentity> {
    const me = await this.call('getMe', (s) => this.api.getMe(s), 'read');
    return { id: String(me.id), name: me.first_name, ...(me.username ? { username: me.username } : {}) };
  }

  /**
   * `check`: the bot (getMe), the channel (getChat) and the bot's rights in it (getChatMember): a bot that
   * is not an administrator allowed to post would have every message refused.
   */
  async inspect(): Promise<AccountReport> {
    const identity = await this.verify();
    const chat = await this.call('getChat', (s) => this.api.getChat(this.chat, s), 'read');
    const member = await this.call('getChatMember', (s) => this.api.getChatMember(this.chat, Number(identity.id), s), 'read');
    const title = 'title' in chat && chat.title ? chat.title : this.chat;
    const handle = 'username' in chat && chat.username ? `@${chat.username}` : String(chat.id);
    const notes: NonNullable<AccountReport['notes']> = [{ key: 'telegram_check_chat', params: { title, handle, id: String(chat.id), type: chat.type }, problem: chat.type !== 'channel' }];
    const admin = member.status === 'creator' || member.status === 'administrator';
    const canPost = member.status === 'creator' || (member.status === 'administrator' && member.can_post_messages !== false);
    if (!admin) notes.push({ key: 'telegram_check_notAdmin', params: { status: member.status }, problem: true });
    else if (!canPost) notes.push({ key: 'telegram_check_cannotPost', params: {}, problem: true });
    else {
      const canEdit = member.status === 'creator' || member.can_edit_messages !== false;
      notes.push({ key: canEdit ? 'telegram_check_admin' : 'telegram_check_cannotEdit', params: {}, problem: false });
    }
    notes.push({ key: 'telegram_check_noReads', params: {}, problem: false });
    return { identity, notes };
  }

  async post(post: RenderedPost): Promise<PostOutcome> {
    const sent = await this.call('sendMessage', (s) => this.api.sendMessage(this.chat, escapeHtml(post.text), { parse_mode: 'HTML' }, s));
    return { remoteId: tgRemoteId(sent.chat.id, sent.message_id), permalink: tgPermalink(sent.chat, sent.message_id) };
  }

  /** Channel messages can be edited at any age; "message is not modified" means it already says this. */
  async edit(remoteId: string, post: RenderedPost): Promise<boolean> {
    const { chat, messageId } = parseTgRemoteId(remoteId, this.chat);
    try {
      await this.call('editMessageText', (s) => this.api.editMessageText(chat, messageId, escapeHtml(post.text), { parse_mode: 'HTML' }, s));
    } catch (e) {
      if (e instanceof ChannelError && /message is not modified/i.test(e.message)) return true;
      throw e;
    }
    return true;
  }

  /** Only messages younger than 48 hours: an older one is refused with POST_DELETE_EXPIRED (closing then edits). */
  async delete(remoteId: string): Promise<void> {
    const { chat, messageId } = parseTgRemoteId(remoteId, this.chat);
    await this.call('deleteMessage', (s) => this.api.deleteMessage(chat, messageId, s));
  }

  /**
   * A Bot API bot cannot read its channel's history (channels.md 1.6): there is nothing to look at. The
   * definition says `readsPosts: 'never'`, so reconciliation never asks; if something does, it is told so.
   */
  async findPostByUrl(_url: string): Promise<PostOutcome | null> {
    throw new ChannelError('permanent', 'Telegram: a bot cannot read the messages of its channel', { readRefused: true });
  }
}
