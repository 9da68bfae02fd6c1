// SPDX-License-Identifier: EUPL-1.2
/** The HTML module for portal pages: load + CSS selectors, bounded on hostile pages. */
import { describe, expect, it } from 'vitest';
import { load } from '../../../src/feeds/html/index.ts';

describe('load(html)', () => {
  it('selects with CSS and reads text as a follower would', () => {
    const page = load(`<html><body><h3 class="white-heading uppercase">Cameriere &amp; barista</h3>
      <div class="right-heading pull-right">Rif. offerta 12345/2026</div>
      <div class="job-info"><div class="col-md-4"><span>Luogo di lavoro</span></div><div class="col-md-8">Pescara<script>x()</script></div></div>
      <ul><li><span>Data di pubblicazione</span><p><time datetime="2026-11-20T10:00">20/11</time></p></li></ul><p>uno<br>due</p></body></html>`);
    expect(page.text(page.selectOne('h3.white-heading'))).toBe('Cameriere & barista');
    expect(page.text(page.selectOne('div.right-heading'))).toBe('Rif. offerta 12345/2026');
    expect(page.select('div.job-info').map((row) => [page.text(page.selectOne('.col-md-4 > span', row)), page.text(page.selectOne('.col-md-8', row))]))
      .toEqual([['Luogo di lavoro', 'Pescara']]);
    expect(page.attr(page.selectOne('time[datetime]'), 'datetime')).toBe('2026-11-20T10:00');
    expect(page.text(page.select('p').at(-1))).toBe('uno\ndue');
    expect(page.selectOne('.missing')).toBeUndefined();
  });

  it('stays bounded on 100,000 nested elements', () => {
    const page = load(`${'<div>'.repeat(100_000)}x`);
    expect(page.select('div').length).toBeLessThanOrEqual(256);
    expect(page.text(page.document)).toBe('');
  });
});
