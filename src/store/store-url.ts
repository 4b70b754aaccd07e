/** Helpers for `store:` URLs (SPEC §6) that every store kind shares. */

/** Drops credentials (user:password@) from a URL before it goes into a message. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}

/** The password of a URL's userinfo, decoded, so it can be scrubbed from library messages. */
export function urlSecrets(url: string): string[] {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/@]*)@/i.exec(url);
  if (!m) return [];
  const userinfo = m[1];
  const colon = userinfo.indexOf(':');
  const out = [userinfo];
  if (colon >= 0) {
    const raw = userinfo.slice(colon + 1);
    out.push(raw);
    try {
      out.push(decodeURIComponent(raw));
    } catch {
      // not percent-encoded: the raw form is enough
    }
  }
  return out.filter((s) => s.length > 0);
}

/** `text` with every occurrence of the URL's secrets (and the URL itself) replaced by `***`. */
export function scrub(text: string, url: string): string {
  let out = text.split(url).join(redactUrl(url));
  for (const s of urlSecrets(url).sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}
