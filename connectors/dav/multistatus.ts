/**
 * A WebDAV answer read with the one XML model (src/xml/dav-xml.ts): a 207 multistatus
 * (RFC 4918 §13) into one entry per `<response>`, with the properties of its 2xx propstats.
 */
import { PimError } from '../../src/core/errors.js';
import { child, children, NS, parseXml, type XmlNode } from '../../src/xml/dav-xml.js';
import { safeUrl } from './http.js';
import { textOf } from './xml-values.js';

/** One `<response>` of a multistatus: an href, its status and its found properties. */
export interface DavEntry {
  href: string;
  status: number;
  /** The property elements of the response's 2xx propstats (a 404 propstat names what the server does not have). */
  props: XmlNode[];
}

export interface MultiStatus {
  /** The HTTP status of the whole answer. */
  status: number;
  /** The URL that answered, after redirects: relative hrefs in the answer resolve against it. */
  url: string;
  entries: DavEntry[];
  /** RFC 6578: the multistatus's `<sync-token>`. */
  syncToken?: string;
  /** The answer's text when it was not a multistatus (error bodies, for preconditions). */
  text?: string;
}

/** A property of an entry by namespace and name. */
export function propOf(e: DavEntry | undefined, ns: string, name: string): XmlNode | undefined {
  return e?.props.find((p) => p.ns === ns && p.name === name);
}

/** `HTTP/1.1 404 Not Found` → 404. */
function statusOf(line: XmlNode | undefined): number | undefined {
  const m = /^\S+\s+(\d{3})\b/.exec(textOf(line) ?? '');
  return m ? Number(m[1]) : undefined;
}

const MAX_ERROR_TEXT = 4096;

/** Reads an answer. Throws PimError('io') naming the URL when a multistatus is not well-formed XML. */
export function readMultiStatus(status: number, url: string, contentType: string, text: string, method: string): MultiStatus {
  const isXml = contentType.toLowerCase().includes('xml') && text !== '';
  if ((status !== 207 && status !== 200) || !isXml) {
    return { status, url, entries: [], text: text.length > MAX_ERROR_TEXT ? `${text.slice(0, MAX_ERROR_TEXT)}…` : text };
  }
  let root: XmlNode;
  try {
    root = parseXml(text);
  } catch (e) {
    throw new PimError('io', `${method} ${safeUrl(url)}: the server's answer is not well-formed XML (${(e as Error).message})`, { where: safeUrl(url) });
  }
  if (root.ns !== NS.dav || root.name !== 'multistatus') return { status, url, entries: [], text };
  const entries: DavEntry[] = [];
  for (const r of children(root, NS.dav, 'response')) {
    const href = textOf(child(r, NS.dav, 'href'));
    if (!href) continue;
    const props: XmlNode[] = [];
    for (const ps of children(r, NS.dav, 'propstat')) {
      const s = statusOf(child(ps, NS.dav, 'status'));
      if (s !== undefined && (s < 200 || s >= 300)) continue;
      props.push(...(child(ps, NS.dav, 'prop')?.children ?? []));
    }
    entries.push({ href, status: statusOf(child(r, NS.dav, 'status')) ?? status, props });
  }
  return { status, url, entries, syncToken: textOf(child(root, NS.dav, 'sync-token')) || undefined };
}
