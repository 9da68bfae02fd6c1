// SPDX-License-Identifier: EUPL-1.2
import { describe, expect, it } from 'vitest';
import { makeScrubber, REDACTED, TOO_DEEP } from '../../../src/log/redact.ts';

const R = REDACTED;

/** Deterministic random secrets, 20-40 chars of [A-Za-z0-9]: none can turn up in the texts below by chance. */
function randomSecrets(count: number, seed = 1): string[] {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, () => {
    let s = '';
    for (let i = 20 + Math.floor(next() * 21); i > 0; i--) s += alphabet[Math.floor(next() * alphabet.length)];
    return s;
  });
}

// A logger holds every secret of the config (thousands with many publishers), an adapter only its own
// few: the scrubber must behave the same either way.
describe.each([
  ['a few secrets', 0],
  ['thousands of secrets', 3000],
])('scrubbing by value, with %s', (_name, extra) => {
  const padding = randomSecrets(extra, 7);
  const scrubberOf = (secrets: string[]) => makeScrubber([...secrets, ...padding]);

  it('replaces every occurrence of every secret of 4 chars or more', () => {
    const scrub = scrubberOf(['tok-one-123', 'second!', 'abcd', 'abc', '', 'zz']);
    expect(scrub('a tok-one-123 b second! c tok-one-123 d abcd e abc f zz')).toBe(`a ${R} b ${R} c ${R} d ${R} e abc f zz`);
    expect(scrub('nothing to hide here')).toBe('nothing to hide here');
    expect(scrub('abcd')).toBe(R);
    expect(scrub('abc')).toBe('abc');
  });

  it('replaces a secret that contains another whole, whatever the order given', () => {
    for (const secrets of [['token', 'token-long-part'], ['token-long-part', 'token']]) {
      const scrub = scrubberOf(secrets);
      expect(scrub('x token-long-part y token z')).toBe(`x ${R} y ${R} z`);
    }
  });

  it('prefers the longer secret over an earlier, shorter one that overlaps it', () => {
    expect(scrubberOf(['abcd', 'bcdefg'])('abcdefg')).toBe(`a${R}`);
    expect(scrubberOf(['efgh', 'abcdef'])('abcdefgh')).toBe(`${R}gh`);
  });

  it('handles adjacent and overlapping occurrences', () => {
    expect(scrubberOf(['s3cr3t'])('s3cr3ts3cr3t')).toBe(`${R}${R}`);
    expect(scrubberOf(['aaaa'])('aaaaaaaaaa')).toBe(`${R}${R}aa`);
    expect(scrubberOf(['abab'])('abababab')).toBe(`${R}${R}`);
    expect(scrubberOf(['abab'])('ababab')).toBe(`${R}ab`);
    // Two secrets of one length overlapping: the one given first wins.
    expect(scrubberOf(['abcd', 'bcde'])('abcde')).toBe(`${R}e`);
    expect(scrubberOf(['bcde', 'abcd'])('abcde')).toBe(`a${R}`);
    expect(scrubberOf(['key1', 'key2'])('key1key2key1')).toBe(`${R}${R}${R}`);
  });

  it('treats non-ASCII characters and regex metacharacters literally', () => {
    const secrets = ['pässwörd€', '😀geheim😀', 'a.b*c+d?', '$1$&(x)[y]{2}|^\\', 'тайна'];
    const scrub = scrubberOf(secrets);
    expect(scrub(`1 pässwörd€ 2 😀geheim😀 3 a.b*c+d? 4 $1$&(x)[y]{2}|^\\ 5 тайна 6`)).toBe(`1 ${R} 2 ${R} 3 ${R} 4 ${R} 5 ${R} 6`);
    expect(scrub('passwörd€ aXb*c+d? $1$&(x)[y]{2}|^/ 😀geheim')).toBe('passwörd€ aXb*c+d? $1$&(x)[y]{2}|^/ 😀geheim');
  });

  it('replaces one secret at a time, even where an inserted [redacted] then matches a later secret', () => {
    // 'dact' is replaced after the longer secret, inside the [redacted] that replaced it.
    expect(scrubberOf(['long-secret', 'dact'])('a long-secret b dact')).toBe(`a [re${R}ed] b ${R}`);
    expect(scrubberOf(['long-secret', 'dact'])('nothing here')).toBe('nothing here');
  });
});

describe('scrubbing structures', () => {
  const scrub = makeScrubber(['tok-one-123', 'page-token-xyz']);

  it('walks nested objects and arrays, leaving other values and keys alone', () => {
    const input = { a: 'tok-one-123', n: 3, b: true, z: null, u: undefined, list: ['x page-token-xyz', 2, { deep: ['tok-one-123'] }], 'tok-one-123': 'key' };
    expect(scrub(input)).toEqual({ a: R, n: 3, b: true, z: null, u: undefined, list: [`x ${R}`, 2, { deep: [R] }], 'tok-one-123': 'key' });
    expect(input.a).toBe('tok-one-123'); // a copy, not the logged object
  });

  it('turns an Error into its type, message, stack and own properties, all scrubbed', () => {
    const e = Object.assign(new TypeError('failed with page-token-xyz'), { url: 'https://graph.example/me?x=page-token-xyz', status: 400, nested: { t: 'tok-one-123' } });
    const out = scrub(e) as unknown as Record<string, unknown>;
    expect(out.type).toBe('TypeError');
    expect(out.message).toBe(`failed with ${R}`);
    expect(out.stack).toMatch(/^TypeError: failed with \[redacted\]\n/);
    expect(out.url).toBe(`https://graph.example/me?x=${R}`);
    expect(out.status).toBe(400);
    expect(out.nested).toEqual({ t: R });
    expect(JSON.stringify(out)).not.toContain('page-token-xyz');
  });

  it("replaces a circular reference by '[circular]'", () => {
    const a: Record<string, unknown> = { name: 'tok-one-123' };
    a.self = a;
    a.list = [a];
    expect(scrub(a)).toEqual({ name: R, self: '[circular]', list: ['[circular]'] });
    const e = new Error('boom') as Error & { cause?: unknown };
    e.cause = e;
    expect((scrub(e) as unknown as Record<string, unknown>).cause).toBe('[circular]');
  });

  it("marks an object seen before '[circular]' even when it is only shared", () => {
    const shared = { t: 'tok-one-123' };
    expect(scrub({ a: shared, b: shared })).toEqual({ a: { t: R }, b: '[circular]' });
  });

  it("stops at depth 8: what is deeper is written '[too deep]', never as it is", () => {
    const levels: Record<string, unknown>[] = [];
    for (let i = 0; i <= 10; i++) levels.push({ s: `tok-one-123 at ${i}` });
    for (let i = 0; i < 10; i++) levels[i]!.next = levels[i + 1];
    let out = scrub(levels[0]) as Record<string, unknown>;
    for (let i = 0; i < 8; i++) {
      expect(out.s).toBe(`${R} at ${i}`);
      out = out.next as Record<string, unknown>;
    }
    expect(out.s).toBe(`${R} at 8`);
    expect(out.next).toBe(TOO_DEEP);
    expect(JSON.stringify(scrub(levels[0]))).not.toContain('tok-one-123');
    expect(levels[9]!.s).toBe('tok-one-123 at 9');
    // Arrays count as levels too.
    let nested: unknown = ['tok-one-123'];
    for (let i = 0; i < 12; i++) nested = [nested];
    expect(JSON.stringify(scrub(nested))).not.toContain('tok-one-123');
    expect(JSON.stringify(scrub(nested))).toContain(TOO_DEEP);
  });

  it('scrubs strings and leaves other top-level values alone', () => {
    expect(scrub('tok-one-123')).toBe(R);
    expect(scrub(42)).toBe(42);
    expect(scrub(null)).toBe(null);
    expect(scrub(undefined)).toBe(undefined);
  });
});

describe('scrubbing by shape', () => {
  const scrub = makeScrubber([]);
  it.each([
    ['GET /me/feed?access_token=EAAB123&fields=id', `GET /me/feed?access_token=${R}&fields=id`],
    ['url: https://graph.facebook.com/v24.0/me?ACCESS_TOKEN=abc%20def x', `url: https://graph.facebook.com/v24.0/me?ACCESS_TOKEN=${R} x`],
    ["appsecret_proof=deadbeef&access_token='tok'", `appsecret_proof=${R}&access_token='tok'`],
    ['Access_Token=ok&AppSecret_Proof=p1 end', `Access_Token=${R}&AppSecret_Proof=${R} end`],
    [
      'OAuth oauth_consumer_key="ck", oauth_nonce="n1", oauth_signature="sig%3D", oauth_token="tk", oauth_version="1.0"',
      `OAuth oauth_consumer_key="${R}", oauth_nonce="${R}", oauth_signature="${R}", oauth_token="${R}", oauth_version="1.0"`,
    ],
    ['OAUTH_TOKEN="tk"', `OAUTH_TOKEN="${R}"`],
    ['{"Authorization":"Bearer abc.def.ghi","x":1}', `{"Authorization":"${R}","x":1}`],
    ["headers: { authorization = 'Basic dXNlcjpwYXNz' }", `headers: { authorization = '${R}' }`],
    ['authorization: OAuth oauth_token="x", oauth_signature="y"\nnext', `authorization: ${R}"${R}", oauth_signature="${R}"\nnext`],
    ['access_token= nothing', 'access_token= nothing'],
    // Keys in URLs: the common parameter names, any case, and userinfo passwords.
    ['GET https://cpi.example/offerte.xml?apikey=K3y-123&page=2 failed', `GET https://cpi.example/offerte.xml?apikey=${R}&page=2 failed`],
    ['https://cpi.example/f?page=1&API_KEY=abc#top', `https://cpi.example/f?page=1&API_KEY=${R}#top`],
    ['https://cpi.example/f?key=a1&token=t2&secret=s3&sig=x4&Signature=y5', `https://cpi.example/f?key=${R}&token=${R}&secret=${R}&sig=${R}&Signature=${R}`],
    ['"url":"https://cpi.example/f?api-key=abc"', `"url":"https://cpi.example/f?api-key=${R}"`],
    ['https://ops:pa55word@cpi.example/feed.xml', `https://ops:${R}@cpi.example/feed.xml`],
    ['redis://:hunter22@10.0.0.1:6379', `redis://:${R}@10.0.0.1:6379`],
    // Not keys: other parameter names, a mail address, a user without password.
    ['https://cpi.example/f?keyword=saldatore&monkey=1&page=2', 'https://cpi.example/f?keyword=saldatore&monkey=1&page=2'],
    ['https://ops@cpi.example/f and ufficio@cpi.example', 'https://ops@cpi.example/f and ufficio@cpi.example'],
    ['posted at https://x.com/i/status/1', 'posted at https://x.com/i/status/1'],
    ['authorization: none, oauth_version="1.0"', 'authorization: none, oauth_version="1.0"'],
  ])('%j', (input, expected) => {
    expect(scrub(input)).toBe(expected);
  });

  it('applies shapes after secrets, on the same text', () => {
    const withSecrets = makeScrubber([...randomSecrets(3000, 3), 'EAAGsecretpagetoken']);
    expect(withSecrets('GET /me?access_token=EAAGsecretpagetoken&x=1')).toBe(`GET /me?access_token=${R}&x=1`);
    expect(withSecrets('GET /me?access_token=EAAGsecretpagetoken-suffix&x=1')).toBe(`GET /me?access_token=${R}&x=1`);
    expect(withSecrets('posted: EAAGsecretpagetoken')).toBe(`posted: ${R}`);
  });
});

describe('scrubbing with thousands of secrets', () => {
  it('finds two of 3000 random secrets in a 200-char string', () => {
    const secrets = randomSecrets(3000, 42);
    const scrub = makeScrubber(secrets);
    const [first, second] = [secrets[1234]!, secrets[2999]!];
    const filler = (n: number) => '-_. /'.repeat(Math.ceil(n / 5)).slice(0, n);
    const head = filler(37);
    const middle = filler(41);
    const tail = filler(200 - head.length - middle.length - first.length - second.length);
    const text = head + first + middle + second + tail;
    expect(text).toHaveLength(200);
    expect(scrub(text)).toBe(`${head}${R}${middle}${R}${tail}`);
    expect(scrub({ msg: text, nested: [text] })).toEqual({ msg: `${head}${R}${middle}${R}${tail}`, nested: [`${head}${R}${middle}${R}${tail}`] });
    // Every one of them is found, at the start, in the middle and at the end of a string.
    for (const s of secrets) expect(scrub(`${s} ${s}|${s}`)).toBe(`${R} ${R}|${R}`);
    // A secret cut short, or with one char changed, is not a secret.
    expect(scrub(first.slice(1))).toBe(first.slice(1));
    expect(scrub(first.slice(0, -1))).toBe(first.slice(0, -1));
    const changed = first.slice(0, 10) + (first[10] === '~' ? '^' : '~') + first.slice(11);
    expect(scrub(changed)).toBe(changed);
  });

  it('finds secrets that share a long prefix, as the Page tokens of one app do', () => {
    const prefix = 'EAAGm0PX4ZCpsBA';
    const tokens = randomSecrets(1000, 5).map((s) => prefix + s);
    const scrub = makeScrubber([...tokens, ...randomSecrets(1000, 6)]);
    expect(scrub(`a ${tokens[0]} b ${tokens[999]} c`)).toBe(`a ${R} b ${R} c`);
    expect(scrub(`${prefix}notatoken`)).toBe(`${prefix}notatoken`);
  });
});
