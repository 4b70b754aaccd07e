/**
 * Reading values out of tsdav's parsed XML (xml-js compact form, element names without
 * prefix in camelCase). tsdav turns numeric-looking text into numbers and `true` into a
 * boolean; these helpers turn everything back into text.
 */
export type XmlNode = unknown;

/** The text of an element: a string, a number tsdav converted, or `_text` / `_cdata`. */
export function textOf(v: XmlNode): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return textOf(v[0]);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o._text !== undefined) return textOf(o._text);
    if (o._cdata !== undefined) return textOf(o._cdata);
  }
  return undefined;
}

/** The `<href>` children of an element (current-user-principal, addressbook-home-set). */
export function hrefsOf(v: XmlNode): string[] {
  if (!v || typeof v !== 'object') return [];
  const h = (v as Record<string, unknown>).href;
  const list = Array.isArray(h) ? h : h === undefined ? [] : [h];
  return list.map(textOf).filter((s): s is string => !!s);
}

/** Whether an element named `key` occurs anywhere below `v` (supported-report-set, resourcetype). */
export function hasElement(v: XmlNode, key: string): boolean {
  if (!v || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => hasElement(x, key));
  return Object.entries(v as Record<string, unknown>).some(([k, x]) => k === key || (k !== '_attributes' && hasElement(x, key)));
}

/** The attributes `attr` of every element named `key` below `v` (`<comp name="VTODO"/>`). */
export function attributesOf(v: XmlNode, key: string, attr: string): string[] {
  const out: string[] = [];
  const walk = (x: XmlNode, name?: string): void => {
    if (!x || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const y of x) walk(y, name);
      return;
    }
    const o = x as Record<string, unknown>;
    if (name === key) {
      const a = (o._attributes as Record<string, unknown> | undefined)?.[attr];
      if (a !== undefined) out.push(String(a));
    }
    for (const [k, y] of Object.entries(o)) if (k !== '_attributes') walk(y, k);
  };
  walk(v);
  return out;
}
