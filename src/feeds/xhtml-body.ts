// SPDX-License-Identifier: EUPL-1.2
/**
 * Some RSS 2.0 feeds carry the item's full text as an XHTML `<body xmlns="http://www.w3.org/1999/xhtml">`
 * (or `<xhtml:body>`) element, which feedsmith does not read. Before parsing, such a body becomes the
 * item's `<description>` (as CDATA, so its markup stays markup) when the item has none.
 */
const ITEM = /<item\b[^>]*>[\s\S]*?<\/item\s*>/gi;
const BODY = /<((?:[\w-]+:)?body)\b[^>]*>([\s\S]*?)<\/\1\s*>/i;

export function liftXhtmlBodies(xml: string): string {
  if (!xml.includes('http://www.w3.org/1999/xhtml')) return xml;
  return xml.replace(ITEM, (item) => {
    if (/<description\b/i.test(item)) return item;
    const m = BODY.exec(item);
    if (!m) return item;
    const cdata = `<![CDATA[${m[2]!.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
    return item.replace(m[0], `<description>${cdata}</description>`);
  });
}
