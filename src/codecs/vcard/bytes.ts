/**
 * Byte-level helpers for vCard input and output: the decoder works on "byte strings"
 * (one char per byte, latin1) until each value's charset is known, because vCard 2.1
 * lets every property name its own CHARSET and QUOTED-PRINTABLE hides bytes behind `=XX`.
 */
import iconv from 'iconv-lite';

const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true });

/** The charset used for a card that is not valid UTF-8 and names no CHARSET. */
export const FALLBACK_CHARSET = 'windows-1252';

/** Input as bytes (a string is taken as already-decoded text and written as UTF-8). */
export function toBytes(input: string | Uint8Array): Buffer {
  if (typeof input === 'string') return Buffer.from(input, 'utf8');
  return Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

/** Bytes as a byte string (latin1: one char per byte, lossless). */
export function byteString(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

export function bytesOf(bstr: string): Buffer {
  return Buffer.from(bstr, 'latin1');
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    UTF8_FATAL.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Whether iconv-lite knows a charset name (`ISO-8859-1`, `Shift_JIS`, `windows-1252`…). */
export function knownCharset(name: string): boolean {
  return iconv.encodingExists(name);
}

/**
 * Bytes → text in a charset. UTF-8 that is not valid UTF-8 (a phone that lied about its
 * CHARSET, or a card with no CHARSET in a legacy encoding) is read as windows-1252 rather
 * than turned into U+FFFD. An unknown charset name falls back the same way.
 */
export function decodeBytes(bytes: Uint8Array, charset: string): string {
  const cs = charset.toLowerCase().replace(/_/g, '-');
  if (cs === 'utf-8' || cs === 'utf8') {
    if (isValidUtf8(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    return iconv.decode(Buffer.from(bytes), FALLBACK_CHARSET);
  }
  if (cs === 'us-ascii' || cs === 'ascii') return decodeBytes(bytes, 'utf-8');
  if (!knownCharset(charset)) return decodeBytes(bytes, 'utf-8');
  return iconv.decode(Buffer.from(bytes), charset);
}

/** Base64 without white space, re-encoded so equal bytes give equal text. */
export function normalizeBase64(b64: string): string {
  return Buffer.from(b64.replace(/\s+/g, ''), 'base64').toString('base64');
}
