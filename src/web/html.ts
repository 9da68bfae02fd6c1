// SPDX-License-Identifier: EUPL-1.2
/**
 * The one way pages are built: `html\`...\`` escapes every interpolated value unless it is already Html
 * (made by another `html` call). Data from feeds, networks and operators can hold anything, so nothing
 * from data is ever concatenated raw.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string { return this.value; }
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function esc(v: unknown): string {
  return String(v).replace(/[&<>"'`]/g, (c) => ESC[c]!);
}

function part(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === undefined || v === null || v === false) return '';
  return esc(v);
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => { out += part(v) + strings[i + 1]!; });
  return new Html(out);
}

/** Only http(s) links become hrefs; anything else (javascript:, data:) is shown as text, not linked. */
export function safeHref(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch { return undefined; }
}
