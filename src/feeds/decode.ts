// SPDX-License-Identifier: EUPL-1.2
/**
 * Bytes → string, choosing the charset the way browsers and feed readers do: BOM, then the
 * Content-Type charset, then the XML declaration or an HTML meta tag, else UTF-8. Legacy charsets go
 * through iconv-lite because Node 20's TextDecoder('windows-1252') maps 0x80–0x9F to C1 controls
 * (nodejs/node#56542), which loses € and curly quotes.
 */
import iconv from 'iconv-lite';

export interface Decoded {
  text: string;
  /** Charset actually used. */
  charset: string;
  /** The declared charset was UTF-8 (or none) but the bytes were not: decoded as windows-1252. */
  fellBack: boolean;
}

function normalizeLabel(label: string): string {
  const l = label.trim().replace(/^["']|["']$/g, '').toLowerCase();
  if (l === 'utf8' || l === 'unicode-1-1-utf-8') return 'utf-8';
  // WHATWG: latin1 and ascii labels mean windows-1252 (servers that say latin1 send € as 0x80).
  if (['iso-8859-1', 'iso8859-1', 'latin1', 'l1', 'us-ascii', 'ascii', 'cp1252', 'iso_8859-1'].includes(l)) return 'windows-1252';
  return l;
}

function charsetFromBom(buf: Buffer): { charset: string; skip: number } | undefined {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { charset: 'utf-8', skip: 3 };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { charset: 'utf-16le', skip: 2 };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { charset: 'utf-16be', skip: 2 };
  return undefined;
}

export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const m = contentType ? /charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType) : null;
  return m ? normalizeLabel(m[2]!) : undefined;
}

function charsetFromDocument(buf: Buffer): string | undefined {
  // The declaration is ASCII in every charset we accept, so latin1 is a safe way to peek at it.
  const head = buf.subarray(0, 2048).toString('latin1');
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml) return normalizeLabel(xml[1]!);
  const meta = /<meta[^>]+charset\s*=\s*["']?([a-zA-Z0-9_-]+)/i.exec(head);
  if (meta) return normalizeLabel(meta[1]!);
  return undefined;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function decodeBody(buf: Buffer, contentType?: string): Decoded {
  const bom = charsetFromBom(buf);
  const bytes = bom ? buf.subarray(bom.skip) : buf;
  let charset = bom?.charset ?? charsetFromContentType(contentType) ?? charsetFromDocument(buf) ?? 'utf-8';
  if (!iconv.encodingExists(charset)) charset = 'utf-8';
  if (charset === 'utf-8') {
    try {
      return { text: utf8.decode(bytes), charset, fellBack: false };
    } catch {
      return { text: iconv.decode(bytes, 'windows-1252'), charset: 'windows-1252', fellBack: true };
    }
  }
  return { text: iconv.decode(bytes, charset, { stripBOM: true }), charset, fellBack: false };
}
