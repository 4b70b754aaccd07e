import { plainAscii } from './ascii.js';
import { boundedMemo } from './memo.js';

/**
 * Email normalisation for identity keys: `MAILTO:Jane.Doe@Example.COM ` and
 * `jane.doe@example.com` are the same address. The local part is lower-cased too: RFC 5321
 * lets it be case-sensitive, but no mainstream provider treats it so, and treating case as
 * significant would duplicate contacts across exports that change it.
 */
export function normalizeEmail(s: string): string {
  // Most addresses are plain: no spaces, no `<…>`, no `mailto:`; their key is their lower-case form.
  return plainAscii(s, isAngle) && ((s.charCodeAt(0) | 0x20) !== 0x6d || !/^mailto:/i.test(s)) ? s.toLowerCase() : emailMemo(s);
}

const isAngle = (c: number) => c === 0x3c;
const emailMemo = boundedMemo(emailKey);

/** {@link normalizeEmail} without the memo. */
export function emailKey(s: string): string {
  let v = s.trim();
  if (/^mailto:/i.test(v)) v = v.slice('mailto:'.length).trim();
  // `Jane Doe <jane@example.com>` as some exports write it: keep the address only.
  const angle = /<([^<>@\s]+@[^<>\s]+)>\s*$/.exec(v);
  if (angle) v = angle[1];
  return v.toLowerCase();
}
