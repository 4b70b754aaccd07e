/**
 * Byte-level helpers for vCard input and output: the decoder works on "byte strings"
 * (one char per byte, latin1) until each value's charset is known, because vCard 2.1
 * lets every property name its own CHARSET and QUOTED-PRINTABLE hides bytes behind `=XX`.
 */
import { isUtf8 } from 'node:buffer';
import { iconv } from '../charsets.js';
import { ownString } from '../../core/own-string.js';

// ignoreBOM keeps a leading U+FEFF in the text, as Buffer#toString does.
const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

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
  return isUtf8(bytes);
}

const NON_ASCII_BYTE = /[^\x00-\x7f]/;
/** Charsets in which every ASCII byte is its own character. */
const ASCII_COMPATIBLE = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii', FALLBACK_CHARSET, 'iso-8859-1', 'latin1']);

/**
 * A byte string (one char per byte) as text in a charset. Most values are plain ASCII,
 * which in the usual charsets is its own text: those skip the round trip through bytes.
 */
export function decodeByteString(bstr: string, charset: string): string {
  if (!NON_ASCII_BYTE.test(bstr) && ASCII_COMPATIBLE.has(charset.toLowerCase())) return detached(bstr);
  return decodeBytes(bytesOf(bstr), charset);
}

/**
 * A value cut from a card's text, on its own: a UID or name kept by a run (its report, an
 * href) kept its whole card's text alive (B5: 17 MB of card texts at 30,000 cards).
 */
const detached = ownString;

/** Whether iconv-lite knows a charset name (`ISO-8859-1`, `Shift_JIS`, `windows-1252`…). */
export function knownCharset(name: string): boolean {
  return iconv().encodingExists(name);
}

/**
 * Bytes → text in a charset. UTF-8 that is not valid UTF-8 (a phone that lied about its
 * CHARSET, or a card with no CHARSET in a legacy encoding) is read as windows-1252 rather
 * than turned into U+FFFD. An unknown charset name falls back the same way.
 */
export function decodeBytes(bytes: Uint8Array, charset: string): string {
  const cs = charset.toLowerCase().replace(/_/g, '-');
  if (cs === 'utf-8' || cs === 'utf8') {
    // One pass: the fatal decoder both checks and decodes.
    try {
      return UTF8_FATAL.decode(bytes);
    } catch {
      return iconv().decode(Buffer.from(bytes), FALLBACK_CHARSET);
    }
  }
  if (cs === 'us-ascii' || cs === 'ascii') return decodeBytes(bytes, 'utf-8');
  if (!knownCharset(charset)) return decodeBytes(bytes, 'utf-8');
  return iconv().decode(Buffer.from(bytes), charset);
}

/** Base64 without white space, re-encoded so equal bytes give equal text. */
export function normalizeBase64(b64: string): string {
  return Buffer.from(b64.replace(/\s+/g, ''), 'base64').toString('base64');
}
