/**
 * Quoted-printable (RFC 2045) as vCard 2.1 writers use it: values read after their soft
 * breaks were joined (src/codecs/vcard/v21-lines.ts), and written as Android does, every
 * byte as `=XX`, broken with `=` soft breaks.
 */
import { FOLD_OCTETS, foldLine, octets } from '../content-line/fold.js';

/** Decoding of a byte string whose soft line breaks were already joined. */
export function qpDecode(bstr: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < bstr.length; i++) {
    const c = bstr.charCodeAt(i);
    if (c === 0x3d /* = */) {
      const hex = bstr.slice(i + 1, i + 3);
      if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
        out.push(parseInt(hex, 16));
        i += 2;
        continue;
      }
      // A soft break left in the value ("=" then line end) or a stray "=": keep a stray "=".
      if (hex.length === 0) continue;
    }
    out.push(c & 0xff);
  }
  return Buffer.from(out);
}

/** Every byte as `=XX`, as Android's vCard 2.1 exporter writes quoted-printable. */
export function qpEncodeAll(text: string): string[] {
  return [...Buffer.from(text, 'utf8')].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`);
}

/**
 * Lines of `prefix` (name and parameters, ending in ':') followed by `=XX` tokens and
 * literal characters, broken with `=` soft breaks so that no line exceeds `max` octets and
 * no token is split.
 */
export function foldQuotedPrintable(prefix: string, tokens: string[], max = FOLD_OCTETS): string[] {
  // A prefix too long for one line (long parameter values) is folded the usual way; the
  // quoted-printable text then starts on its last line.
  const out = foldLine(prefix, max - 1);
  let cur = out.pop() ?? '';
  for (const t of tokens) {
    if (octets(cur) + t.length + 1 > max && cur.trim() !== '') {
      out.push(`${cur}=`);
      cur = '';
    }
    cur += t;
  }
  out.push(cur);
  return out;
}
