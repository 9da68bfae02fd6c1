// SPDX-License-Identifier: EUPL-1.2
/**
 * XML documents that are not feeds (ClicLavoro, MyPortal, HR-Open) as a small namespace-aware element
 * tree. fast-xml-parser (already under feedsmith) does the tokenizing with entity processing OFF, so a
 * DOCTYPE entity is never expanded (detect.ts refuses DOCTYPE entities before we get here anyway);
 * entities in text are decoded here, exactly once. Its validator runs first: a SIL export is machine
 * XML, and a broken one must be refused with the line at fault, never half-read.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeHTML } from 'entities';
import { FeedError } from '../errors.ts';

export interface XmlElement {
  /** Local name (prefix removed). */
  name: string;
  /** Namespace URI ('' when none is in scope). */
  ns: string;
  /** Attributes by local name, values decoded; never a prototype-bearing object. */
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Direct text content (text nodes decoded once, CDATA literal), untrimmed. */
  text: string;
}

/** Nesting beyond this is not a job offer: refused instead of walked. */
export const MAX_XML_DEPTH = 64;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  commentPropName: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  removeNSPrefix: false,
});

type OrderedNode = Record<string, unknown>;

function splitName(qname: string): { prefix: string; local: string } {
  const i = qname.indexOf(':');
  return i < 0 ? { prefix: '', local: qname } : { prefix: qname.slice(0, i), local: qname.slice(i + 1) };
}

/** Parses and validates; throws a FeedError naming the line and column of the first error. */
export function parseXmlTree(xml: string): XmlElement {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new FeedError(`XML non valido alla riga ${line}, colonna ${col}: ${String(msg).slice(0, 160)}`);
  }
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(xml) as OrderedNode[];
  } catch (err) {
    const message = String((err as Error).message ?? err);
    if (message.includes('[SECURITY]')) throw new FeedError('XML uses reserved element names (__proto__, constructor): refused');
    throw new FeedError(`XML non leggibile: ${message.slice(0, 160)}`);
  }
  const roots = toElements(nodes);
  if (roots.length !== 1) throw new FeedError('XML senza un unico elemento radice');
  return roots[0]!;
}

/** Converts fast-xml-parser's ordered output to XmlElements, resolving namespaces, without recursion. */
function toElements(nodes: OrderedNode[]): XmlElement[] {
  const top: XmlElement[] = [];
  // Each frame: the ordered children still to convert, where their elements go, the namespaces in scope.
  const stack: Array<{ nodes: OrderedNode[]; into: XmlElement[]; owner?: XmlElement; scope: Map<string, string>; depth: number }> = [
    { nodes, into: top, scope: new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]), depth: 0 },
  ];
  while (stack.length) {
    const frame = stack.pop()!;
    for (const node of frame.nodes) {
      if ('#text' in node) {
        const t = String(node['#text']);
        if (frame.owner) frame.owner.text += t.includes('&') ? decodeHTML(t) : t;
        continue;
      }
      if ('#cdata' in node) {
        const parts = node['#cdata'] as OrderedNode[];
        if (frame.owner) for (const p of parts) frame.owner.text += String(p['#text'] ?? '');
        continue;
      }
      const qname = Object.keys(node).find((k) => k !== ':@');
      if (qname === undefined) continue;
      if (frame.depth >= MAX_XML_DEPTH) throw new FeedError(`XML annidato oltre ${MAX_XML_DEPTH} livelli`);
      const rawAttrs = (node[':@'] ?? {}) as Record<string, string>;
      let scope = frame.scope;
      for (const [k, v] of Object.entries(rawAttrs)) {
        if (k === 'xmlns' || k.startsWith('xmlns:')) {
          if (scope === frame.scope) scope = new Map(scope);
          scope.set(k === 'xmlns' ? '' : k.slice(6), decodeHTML(String(v)));
        }
      }
      const attrs: Record<string, string> = Object.create(null);
      for (const [k, v] of Object.entries(rawAttrs)) {
        if (k === 'xmlns' || k.startsWith('xmlns:')) continue;
        attrs[splitName(k).local] = decodeHTML(String(v));
      }
      const { prefix, local } = splitName(qname);
      const el: XmlElement = { name: local, ns: scope.get(prefix) ?? '', attrs, children: [], text: '' };
      frame.into.push(el);
      const kids = node[qname];
      if (Array.isArray(kids) && kids.length) stack.push({ nodes: kids as OrderedNode[], into: el.children, owner: el, scope, depth: frame.depth + 1 });
    }
  }
  return top;
}

/** The first child element with this local name. */
export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Every child element with this local name. */
export function childrenNamed(el: XmlElement | undefined, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.name === name) : [];
}

/** The element at a slash-separated path of local names below `el` ("DatiSistema/codiceofferta"). */
export function at(el: XmlElement | undefined, path: string): XmlElement | undefined {
  let cur = el;
  for (const part of path.split('/')) cur = child(cur, part);
  return cur;
}

/** Trimmed text at a path, or undefined when the element is missing or empty. */
export function textAt(el: XmlElement | undefined, path: string): string | undefined {
  const t = at(el, path)?.text.trim();
  return t ? t : undefined;
}
