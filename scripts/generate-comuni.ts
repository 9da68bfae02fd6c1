// SPDX-License-Identifier: EUPL-1.2
/**
 * Regenerates src/feeds/formats/data/comuni-anpr.tsv from @marketto/belfiore-connector-embedded (a
 * devDependency: MIT code, CC-BY-4.0 ANPR data). The package only answers asynchronously and takes
 * about 1.5 s to list every place, while the parse path is synchronous and runs in every process: so
 * the list is generated here once and read as a plain table at run time.
 *
 *   TZ=UTC node bin/run-ts.js scripts/generate-comuni.ts
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { belfioreConnector } from '@marketto/belfiore-connector-embedded';

const out = fileURLToPath(new URL('../src/feeds/formats/data/comuni-anpr.tsv', import.meta.url));
const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../node_modules/@marketto/belfiore-connector-embedded/package.json', import.meta.url)), 'utf8'));
const day = (d: Date) => d.toISOString().slice(0, 10);
const places = await belfioreConnector.toArray();
const rows = places
  .map((p) => {
    const to = day(p.expirationDate as Date);
    // Countries carry an ISO 3166 code instead of a province; the table keeps the province column empty.
    const province = 'province' in p && typeof p.province === 'string' ? p.province.trim() : '';
    return [p.belfioreCode, p.name.trim(), province, day(p.creationDate as Date), to.startsWith('9999') ? '' : to].join('\t');
  })
  .sort();
const latest = places.map((p) => Math.max((p.creationDate as Date).getTime(), to9999((p.expirationDate as Date).getTime()))).reduce((a, b) => Math.max(a, b), 0);
function to9999(t: number) { return t > Date.UTC(9000, 0, 1) ? 0 : t; }
const header = [
  `# Belfiore codes of Italian comuni (and foreign countries, Z…) from ANPR, Ministero dell'Interno, CC-BY-4.0`,
  `# (https://github.com/italia/anpr, archivio comuni), as embedded in @marketto/belfiore-connector-embedded ${pkg.version} (MIT).`,
  `# Latest change recorded in the data: ${day(new Date(latest))}. Regenerate: TZ=UTC node bin/run-ts.js scripts/generate-comuni.ts`,
  '# code\tname\tprovince\tvalid from\tvalid to (empty: still in force)',
];
writeFileSync(out, `${header.join('\n')}\n${rows.join('\n')}\n`);
console.log(`${rows.length} places written to ${out}`);
