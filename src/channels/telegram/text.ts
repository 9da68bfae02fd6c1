// SPDX-License-Identifier: EUPL-1.2
/**
 * How Telegram counts a message. The adapter sends the rendered text HTML-escaped with
 * `parse_mode: HTML` and no tags of its own, so what Telegram counts "after entities parsing" is the
 * text itself, less the white space it trims at both ends. The unit is UTF-16 code units: a live probe
 * accepted 4096 astral characters, others count units; units are the stricter reading, safe under both
 * (channels.md 1.4). Escaping never changes the count: `&amp;` parses back to one `&`.
 */

/** Characters of a message after entity parsing. */
export const TELEGRAM_LIMIT = 4096;

/** `&`, `<` and `>` are all the Bot API's HTML mode needs escaped in text (quotes only inside attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The length Telegram will count for `text` (sent escaped), and whether it would accept it. */
export function measureTelegram(text: string): { length: number; valid: boolean } {
  const length = text.trim().length;
  return { length, valid: length > 0 && length <= TELEGRAM_LIMIT };
}
