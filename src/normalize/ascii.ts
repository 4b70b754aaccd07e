/**
 * Whether `s` is printable ASCII whose only white space is single inner spaces, and holds
 * none of the characters `also` names: then its text key is its lower-case form, without
 * regular expressions, Unicode normalisation or a memo lookup (a hash of the text and a
 * probe of a table too large for the cache: slower than this walk).
 */
export function plainAscii(s: string, also?: (code: number) => boolean): boolean {
  const last = s.length - 1;
  for (let i = 0; i <= last; i += 1) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      if (i === 0 || i === last || s.charCodeAt(i - 1) === 0x20) return false;
    } else if (c < 0x21 || c > 0x7e || (also !== undefined && also(c))) return false;
  }
  return true;
}
