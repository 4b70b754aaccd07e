import { SaxesParser } from 'saxes';
import { PimError } from '../core/errors.js';

/**
 * The one XML model of WebDAV, for the server's handlers and the DAV connector alike: a
 * safe, namespace-aware parser (no DTD, so no external entities and no entity expansion:
 * XXE and billion-laughs bodies are refused before parsing) into XmlNode trees, and small
 * builders for the bodies either side sends (multistatus answers, PROPFIND and REPORT requests).
 */
export const NS = {
  dav: 'DAV:',
  carddav: 'urn:ietf:params:xml:ns:carddav',
  caldav: 'urn:ietf:params:xml:ns:caldav',
  cs: 'http://calendarserver.org/ns/',
  apple: 'http://apple.com/ns/ical/',
} as const;

/** Prefixes the responses declare once on their root element. */
const PREFIX: Record<string, string> = { [NS.dav]: 'D', [NS.carddav]: 'CR', [NS.caldav]: 'C', [NS.cs]: 'CS', [NS.apple]: 'A' };
export const ROOT_NS_DECL = Object.entries(PREFIX).map(([ns, p]) => `xmlns:${p}="${ns}"`).join(' ');

export interface QName { ns: string; name: string }
export interface XmlNode extends QName {
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** A request body refused: invalid data, naming where (`XML body`, and the line when known). */
export class XmlError extends PimError {
  constructor(message: string, line?: number) {
    super('invalid-data', message, { where: 'XML body', line });
  }
}

/** Deepest element nesting accepted: a calendar-query filter, the deepest DAV body, needs about 10. */
export const MAX_XML_DEPTH = 64;

/**
 * Parses a request body or a server's answer. Throws XmlError for DTDs, entity declarations,
 * undeclared entities or prefixes, nesting deeper than MAX_XML_DEPTH and any text that is not
 * well-formed XML (a truncated answer above all: it must never read as fewer entries).
 * One pass of saxes (a checking, namespace-aware SAX parser) builds the tree.
 */
export function parseXml(text: string): XmlNode {
  // A DOCTYPE is the only way to declare entities: refusing it refuses XXE and entity bombs.
  // (saxes would not expand them either, but the refusal names the reason.)
  if (/<!(?!--|\[CDATA\[)/.test(text)) throw new XmlError('DTDs and entity declarations are not accepted');
  const parser = new SaxesParser({ xmlns: true });
  let root: XmlNode | undefined;
  // The open elements, innermost last; their text is gathered in parts and joined once closed.
  const open: XmlNode[] = [];
  const parts: string[][] = [];
  parser.on('opentag', (tag) => {
    if (open.length >= MAX_XML_DEPTH) throw new XmlError(`elements nested deeper than ${MAX_XML_DEPTH}`, parser.line);
    const attrs: Record<string, string> = {};
    for (const name in tag.attributes) {
      const a = tag.attributes[name]!;
      if (a.prefix !== 'xmlns' && a.name !== 'xmlns') attrs[a.local] = a.value;
    }
    const node: XmlNode = { ns: tag.uri, name: tag.local, attrs, children: [], text: '' };
    if (open.length > 0) open[open.length - 1]!.children.push(node);
    else root = node;
    open.push(node);
    parts.push([]);
  });
  const addText = (t: string) => {
    // Text outside the root (white space around it) belongs to no element.
    if (open.length > 0) parts[parts.length - 1]!.push(t);
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const t = parts.pop()!;
    open.pop()!.text = t.length === 1 ? t[0]! : t.join('');
  });
  try {
    parser.write(text).close();
  } catch (e) {
    if (e instanceof XmlError) throw e;
    // saxes's messages start with `line:column: `.
    const message = e instanceof Error ? e.message : String(e);
    throw new XmlError(`malformed XML at line ${parser.line}: ${message.replace(/^\d+:\d+: /, '')}`, parser.line);
  }
  if (!root) throw new XmlError('empty XML document');
  return root;
}

export const is = (n: QName | undefined, ns: string, name: string): boolean => !!n && n.ns === ns && n.name === name;
export const child = (n: XmlNode | undefined, ns: string, name: string): XmlNode | undefined => n?.children.find((c) => is(c, ns, name));
export const children = (n: XmlNode | undefined, ns: string, name: string): XmlNode[] => n?.children.filter((c) => is(c, ns, name)) ?? [];
export const keyOf = (q: QName): string => `{${q.ns}}${q.name}`;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // Characters XML 1.0 cannot carry at all.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** An element with inner XML; known namespaces use the root's prefixes, others declare their own. */
export function qname(q: QName, inner = ''): string {
  const p = PREFIX[q.ns];
  if (p) return inner === '' ? `<${p}:${q.name}/>` : `<${p}:${q.name}>${inner}</${p}:${q.name}>`;
  const decl = q.ns === '' ? 'xmlns=""' : `xmlns:X="${escapeXml(q.ns)}"`;
  const n = q.ns === '' ? q.name : `X:${q.name}`;
  return inner === '' ? `<${n} ${decl}/>` : `<${n} ${decl}>${inner}</${n}>`;
}

export const dav = (name: string, inner = ''): string => qname({ ns: NS.dav, name }, inner);
export const davText = (name: string, text: string): string => dav(name, escapeXml(text));
export const XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n';

/**
 * A parsed element's content as XML again (a dead property's value, RFC 4918 §4.3): its
 * text, then its child elements, each declaring its own namespace so the fragment stands
 * alone wherever it is put.
 */
export function innerXml(n: XmlNode): string {
  return escapeXml(n.text) + n.children.map(elementXml).join('');
}

function elementXml(n: XmlNode): string {
  const name = n.ns === '' ? n.name : `N:${n.name}`;
  const decl = n.ns === '' ? ' xmlns=""' : ` xmlns:N="${escapeXml(n.ns)}"`;
  const attrs = Object.entries(n.attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('');
  const inner = innerXml(n);
  return inner === '' ? `<${name}${decl}${attrs}/>` : `<${name}${decl}${attrs}>${inner}</${name}>`;
}

/** `{namespace}name` → the QName (the key format of keyOf). */
export function qnameOfKey(key: string): QName {
  const close = key.indexOf('}');
  return { ns: key.slice(1, close), name: key.slice(close + 1) };
}
