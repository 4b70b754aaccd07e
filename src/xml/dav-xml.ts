import { XMLParser, XMLValidator } from 'fast-xml-parser';
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

// htmlEntities is what makes the parser decode character references (`&#13;`, servers escape
// the CR of a vCard's CRLF so); named entities beyond XML's five never reach it (parseXml refuses them).
const parser = new XMLParser({
  preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false,
  trimValues: false, ignoreDeclaration: true, ignorePiTags: true, processEntities: true, htmlEntities: true,
});

/** Parses a request body. Throws XmlError for DTDs, entity declarations and malformed XML. */
export function parseXml(text: string): XmlNode {
  // A DOCTYPE is the only way to declare entities: refusing it refuses XXE and entity bombs.
  if (/<!(?!--|\[CDATA\[)/.test(text)) throw new XmlError('DTDs and entity declarations are not accepted');
  // XML 1.0 §4.1 (well-formedness): without a DTD only the five predefined entities exist.
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});)/.exec(text);
  if (entity) throw new XmlError(`undeclared entity reference at line ${lineAt(text, entity.index)}`, lineAt(text, entity.index));
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new XmlError(`malformed XML at line ${valid.err.line}`, valid.err.line);
  let raw: RawNode[];
  try {
    raw = parser.parse(text) as RawNode[];
  } catch (e) {
    // The parser's own limits (nesting above all) are refusals of the body, not server faults.
    throw new XmlError(e instanceof Error ? e.message : String(e));
  }
  const root = toNodes(raw, {}, 1).find(() => true);
  if (!root) throw new XmlError('empty XML document');
  return root;
}

type RawNode = Record<string, unknown>;

const lineAt = (text: string, index: number) => text.slice(0, index).split('\n').length;

function toNodes(raw: RawNode[], scope: Record<string, string>, depth: number): XmlNode[] {
  const out: XmlNode[] = [];
  if (depth > MAX_XML_DEPTH && raw.some((r) => Object.keys(r).some((k) => k !== ':@' && k !== '#text' && k !== '#comment'))) {
    throw new XmlError(`elements nested deeper than ${MAX_XML_DEPTH}`);
  }
  for (const r of raw) {
    const tag = Object.keys(r).find((k) => k !== ':@');
    if (!tag || tag === '#text' || tag === '#comment') continue;
    const attrsRaw = (r[':@'] ?? {}) as Record<string, string>;
    const ns = { ...scope };
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(attrsRaw)) {
      if (k === 'xmlns') ns[''] = v;
      else if (k.startsWith('xmlns:')) {
        // Namespaces in XML 1.0 §3: a prefix cannot be bound to the empty name.
        if (String(v) === '') throw new XmlError(`prefix ${k.slice(6)} bound to an empty namespace`);
        ns[k.slice(6)] = v;
      }
      else attrs[k.includes(':') ? k.slice(k.indexOf(':') + 1) : k] = String(v);
    }
    const [prefix, local] = tag.includes(':') ? [tag.slice(0, tag.indexOf(':')), tag.slice(tag.indexOf(':') + 1)] : ['', tag];
    if (prefix && ns[prefix] === undefined) throw new XmlError(`undeclared namespace prefix ${prefix}`);
    const kids = (r[tag] ?? []) as RawNode[];
    const text = kids.map((k) => (typeof k['#text'] === 'string' ? k['#text'] : '')).join('');
    out.push({ ns: ns[prefix] ?? '', name: local, attrs, children: toNodes(kids, ns, depth + 1), text });
  }
  return out;
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
