// SPDX-License-Identifier: EUPL-1.2
/**
 * robots.txt (RFC 9309) as the portal pages read it: our group or `*`, longest match, allow on a tie,
 * wildcards and `$`; no robots.txt allows all, an unreadable one disallows all for a while; one read
 * per host for an hour.
 */
import { describe, expect, it } from 'vitest';
import { parseRobots, productToken, RobotsCache, ROBOTS_TTL_MS } from '../../../src/sources/pages/robots.ts';
import { FeedError } from '../../../src/feeds/errors.ts';

const UA = 'Banditore/0.1 (+https://github.com/banditore/banditore)';

describe('parseRobots', () => {
  it('the product token is the User-Agent up to its version', () => {
    expect(productToken(UA)).toBe('banditore');
  });

  it('applies the * group when none names us', () => {
    const r = parseRobots('User-agent: *\nDisallow: /welcomepage/news\nDisallow: /private/\n');
    expect(r.allows(UA, '/welcomepage/news/view/1')).toBe(false);
    expect(r.allows(UA, '/private/x')).toBe(false);
    expect(r.allows(UA, '/welcomepage/vacancy/view/1')).toBe(true);
  });

  it('our own group replaces the * group (case-insensitive), and groups naming us are merged', () => {
    const r = parseRobots('User-agent: *\nDisallow: /\n\nUser-agent: BANDITORE\nDisallow: /welcomepage/vacancy/view/13\n\nUser-agent: googlebot\nDisallow: /a\n\nuser-agent: banditore\ndisallow: /b\n');
    expect(r.allows(UA, '/welcomepage/vacancy/view/12')).toBe(true);
    expect(r.allows(UA, '/welcomepage/vacancy/view/13')).toBe(false);
    expect(r.allows(UA, '/b/1')).toBe(false);
    expect(r.allows(UA, '/a')).toBe(true);
    expect(r.allows('OtherBot/1.0', '/anything')).toBe(false);
  });

  it('several user-agent lines share one group', () => {
    const r = parseRobots('User-agent: foo\nUser-agent: banditore\nDisallow: /x\n');
    expect(r.allows(UA, '/x')).toBe(false);
  });

  it('the longest match wins; allow wins a tie', () => {
    const r = parseRobots('User-agent: *\nDisallow: /welcomepage/\nAllow: /welcomepage/vacancy/\nAllow: /p\nDisallow: /p\n');
    expect(r.allows(UA, '/welcomepage/news')).toBe(false);
    expect(r.allows(UA, '/welcomepage/vacancy/view/1')).toBe(true);
    expect(r.allows(UA, '/p')).toBe(true);
  });

  it('wildcards and the end anchor', () => {
    const r = parseRobots('User-agent: *\nDisallow: /*.pdf$\nDisallow: /*?print=\n');
    expect(r.allows(UA, '/doc/a.pdf')).toBe(false);
    expect(r.allows(UA, '/doc/a.pdf?x=1')).toBe(true);
    expect(r.allows(UA, '/welcomepage/vacancy/view/1?print=1')).toBe(false);
    expect(r.allows(UA, '/welcomepage/vacancy/view/1')).toBe(true);
  });

  it('an empty Disallow, comments, junk and rules before any group allow everything', () => {
    const r = parseRobots('Disallow: /\n# comment\ngarbage line\nUser-agent: * # all\nDisallow:\nSitemap: https://x/s.xml\nCrawl-delay: 10\n');
    expect(r.allows(UA, '/anything')).toBe(true);
  });

  it('an empty file allows everything; regex characters in patterns are literal', () => {
    expect(parseRobots('').allows(UA, '/x')).toBe(true);
    const r = parseRobots('User-agent: *\nDisallow: /a(b)+c\n');
    expect(r.allows(UA, '/a(b)+c/1')).toBe(false);
    expect(r.allows(UA, '/abbc')).toBe(true);
  });
});

describe('RobotsCache', () => {
  it('reads each host once for an hour, then again', async () => {
    let t = 1_000_000;
    const asked: string[] = [];
    const cache = new RobotsCache(async (url) => { asked.push(url); return { status: 'ok', body: 'User-agent: *\nDisallow: /no\n' }; }, () => t);
    expect(await cache.allows('https://a.test/no/1', UA)).toBe(false);
    expect(await cache.allows('https://a.test/yes', UA)).toBe(true);
    expect(await cache.allows('https://b.test/no', UA)).toBe(false);
    expect(asked).toEqual(['https://a.test/robots.txt', 'https://b.test/robots.txt']);
    t += ROBOTS_TTL_MS + 1;
    await cache.allows('https://a.test/yes', UA);
    expect(asked).toHaveLength(3);
  });

  it('no robots.txt (4xx) allows everything', async () => {
    const cache = new RobotsCache(async () => ({ status: 'missing' }));
    expect(await cache.allows('https://a.test/anything', UA)).toBe(true);
  });

  it('a robots.txt that cannot be read (5xx, network) disallows everything, and says why', async () => {
    const cache = new RobotsCache(async () => { throw new FeedError('HTTP 503'); });
    expect(await cache.allows('https://a.test/anything', UA)).toBe(false);
    expect((await cache.rulesFor('https://a.test/')).unreachable).toBe('HTTP 503');
  });

  it('a host busy with our own requests is no verdict: nothing is cached, the next call asks again', async () => {
    let calls = 0;
    const cache = new RobotsCache(async () => { calls++; if (calls === 1) throw new FeedError('host busy: 2 requests to a.test running and 2 waiting'); return { status: 'ok', body: '' }; });
    await expect(cache.allows('https://a.test/x', UA)).rejects.toThrow(/host busy/);
    expect(await cache.allows('https://a.test/x', UA)).toBe(true);
    expect(calls).toBe(2);
  });
});
