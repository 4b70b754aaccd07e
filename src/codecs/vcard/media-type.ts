/**
 * The media type of an inline binary: 3.0 `PHOTO;ENCODING=b;TYPE=JPEG` ⇄ 4.0
 * `data:image/jpeg;base64,…`. The two functions are inverses on canonical media types.
 */
const MAIN: Record<string, string> = { photo: 'image', logo: 'image', sound: 'audio', key: 'application' };
const NONE = 'application/octet-stream';

/** TYPE parameter value (`JPEG`, `image/png`, absent) → media type. */
export function mediaTypeOf(prop: string, type: string | undefined): string {
  if (!type) return NONE;
  const t = type.toLowerCase();
  return t.includes('/') ? t : `${MAIN[prop] ?? 'application'}/${t}`;
}

/** Media type → the 2.1/3.0 TYPE value (undefined when none is needed). */
export function typeParamOf(prop: string, media: string): string | undefined {
  const m = media.toLowerCase();
  if (m === NONE || m === '') return undefined;
  const main = `${MAIN[prop] ?? 'application'}/`;
  if (m.startsWith(main) && !m.slice(main.length).includes('/')) return m.slice(main.length).toUpperCase();
  return m;
}
