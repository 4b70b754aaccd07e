import { createRequire } from 'node:module';
import type { CountryCode } from 'libphonenumber-js';
import { boundedMemo } from './memo.js';

type PhoneLibrary = typeof import('libphonenumber-js');
let library: PhoneLibrary | undefined;

/**
 * libphonenumber-js with its metadata is a tenth of a second to load: it is loaded (through
 * its CommonJS build, so the keyers stay synchronous) when the first number is keyed, and
 * commands that key none (`pimhub status`, `log`) never pay for it.
 */
function phoneLibrary(): PhoneLibrary {
  return (library ??= createRequire(import.meta.url)('libphonenumber-js') as PhoneLibrary);
}

/**
 * Phone normalisation for identity keys: E.164 (`+491711234567`) via libphonenumber-js,
 * so `0171 1234567` read with region DE and `+49 171 1234567` give the same key. An
 * extension is appended as `;ext=12` (RFC 3966 form), so the same number with another
 * extension is another key.
 *
 * When the number cannot be parsed (no country code and no default region, or not a
 * possible number), the key falls back to its digits with a leading `+` kept (`00` read
 * as `+`), so at least formatting differences (spaces, dashes, brackets) do not matter.
 * The value stored in cards is never rewritten: this is only a key.
 */
export function normalizePhone(s: string, defaultRegion?: string): string {
  const region = defaultRegion ?? '';
  if (region !== lastRegion) {
    let memo = byRegion.get(region);
    if (!memo) byRegion.set(region, (memo = boundedMemo((raw) => phoneKey(raw, defaultRegion))));
    lastRegion = region;
    lastMemo = memo;
  }
  return lastMemo!(s);
}

/**
 * Parsing with libphonenumber is most of a merge's time: each distinct raw number is parsed
 * once per region (a run sees it on several sides and in fingerprints). One memo per region,
 * looked up by the raw text itself: a joined region + text key would be a fresh string to
 * hash on every call.
 */
const byRegion = new Map<string, (s: string) => string>();
let lastRegion: string | undefined;
let lastMemo: ((s: string) => string) | undefined;

/** {@link normalizePhone} without the memo. */
export function phoneKey(s: string, defaultRegion: string | undefined): string {
  let v = s.trim();
  if (/^tel:/i.test(v)) v = v.slice(4);
  // RFC 3966 parameters other than the extension (`;phone-context=`, `;isub=`) are not part of the number.
  const extParam = /;ext=([0-9]+)/i.exec(v);
  v = v.replace(/;.*$/, '');
  v = v.trim();
  if (/^00[1-9]/.test(v.replace(/[\s().\-/]/g, ''))) v = '+' + v.replace(/[\s().\-/]/g, '').slice(2);
  const region = defaultRegion ? (defaultRegion.toUpperCase() as CountryCode) : undefined;
  let parsed;
  try {
    parsed = phoneLibrary().parsePhoneNumberFromString(v, region);
  } catch {
    parsed = undefined;
  }
  const ext = extParam?.[1] ?? parsed?.ext;
  if (parsed && parsed.isPossible()) return parsed.number + (ext ? `;ext=${ext}` : '');
  return fallbackKey(v) + (ext ? `;ext=${ext}` : '');
}

/** Digits, with a leading `+` kept; an extension written `x12`/`ext. 12` is dropped here. */
function fallbackKey(v: string): string {
  const main = v.replace(/\s*(?:ext\.?|extension|x|#)\s*\d+\s*$/i, '');
  const plus = main.trim().startsWith('+') ? '+' : '';
  const digits = main.replace(/\D/g, '');
  return digits ? plus + digits : v.trim().toLowerCase();
}
