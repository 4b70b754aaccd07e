/**
 * Reading a DAV answer's properties (src/xml/dav-xml.ts XmlNode trees): text, hrefs,
 * elements and attributes, always by namespace and name.
 */
import { ownString } from '../../src/core/own-string.js';
import { child, children, NS, type XmlNode } from '../../src/xml/dav-xml.js';

/**
 * The text of an element, white space around it removed (servers indent their answers), on
 * its own: an etag kept for the whole run (a link head) kept its whole multiget answer alive
 * otherwise (src/core/own-string.ts).
 */
export function textOf(n: XmlNode | undefined): string | undefined {
  return n === undefined ? undefined : ownString(n.text.trim());
}

/** The `<DAV:href>` children of an element (current-user-principal, addressbook-home-set). */
export function hrefsOf(n: XmlNode | undefined): string[] {
  return children(n, NS.dav, 'href').map((h) => h.text.trim()).filter((s) => s !== '');
}

/** Every element named `{ns}name` at or below `n` (supported-report-set, resourcetype, comp). */
export function descendants(n: XmlNode | undefined, ns: string, name: string): XmlNode[] {
  if (n === undefined) return [];
  const out: XmlNode[] = [];
  const walk = (x: XmlNode): void => {
    for (const c of x.children) {
      if (c.ns === ns && c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(n);
  return out;
}

export const hasElement = (n: XmlNode | undefined, ns: string, name: string): boolean => descendants(n, ns, name).length > 0;

export { child };
