// SPDX-License-Identifier: EUPL-1.2
/**
 * Big RSS/RDF documents are parsed in slices of items (channel head + N items + tail), so the parser's
 * object tree for 50,000 items never exists all at once: peak memory stays a small multiple of one
 * slice instead of the whole feed. Below the threshold the document is parsed in one go.
 */
const ITEM_OPEN = /<item[\s>]/gi;
const ITEM_CLOSE = /<\/item\s*>/gi;
export const CHUNK_ITEMS = 2_000;

/** Documents made of head + items + tail, or the document itself when splitting is not worth it. */
export function* itemSlices(xml: string, perSlice = CHUNK_ITEMS): Generator<string> {
  ITEM_OPEN.lastIndex = 0;
  const first = ITEM_OPEN.exec(xml);
  if (!first) { yield xml; return; }
  // Count cheaply whether there are enough items to bother.
  let count = 0;
  let lastClose = -1;
  ITEM_CLOSE.lastIndex = first.index;
  const closes: number[] = [];
  for (let m = ITEM_CLOSE.exec(xml); m; m = ITEM_CLOSE.exec(xml)) {
    count++;
    lastClose = ITEM_CLOSE.lastIndex;
    if (count % perSlice === 0) closes.push(lastClose);
  }
  if (count <= perSlice * 1.5 || lastClose < 0) { yield xml; return; }
  const head = xml.slice(0, first.index);
  const tail = xml.slice(lastClose);
  let start = first.index;
  for (const end of closes) {
    if (end > start) yield head + xml.slice(start, end) + tail;
    start = end;
  }
  if (start < lastClose) yield head + xml.slice(start, lastClose) + tail;
}
