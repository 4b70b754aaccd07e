import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * CSRF protection for the review page's POSTs. The page is behind HTTP Basic auth, which a
 * browser sends on any request to this origin, cross-site form posts included; so every
 * form carries a token bound to the user (an HMAC with a secret of this process, valid for
 * `ttlMs`), and a POST whose Origin (or, without one, Referer) names another site is refused
 * whatever its token. A restart makes old tokens invalid: the page just has to be reloaded.
 */
export class CsrfTokens {
  constructor(
    private readonly secret: Buffer = randomBytes(32),
    private readonly ttlMs = 12 * 60 * 60 * 1000,
  ) {}

  issue(user: string, now = Date.now()): string {
    const ts = now.toString(36);
    return `${ts}.${this.mac(user, ts)}`;
  }

  verify(user: string, token: unknown, now = Date.now()): boolean {
    if (typeof token !== 'string') return false;
    const m = /^([0-9a-z]{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return false;
    const issued = parseInt(m[1]!, 36);
    if (!(issued <= now + 60_000 && now - issued <= this.ttlMs)) return false;
    const expected = Buffer.from(this.mac(user, m[1]!));
    const given = Buffer.from(m[2]!);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private mac(user: string, ts: string): string {
    return createHmac('sha256', this.secret).update(`pimhub-review\0${user}\0${ts}`).digest('base64url');
  }
}

/**
 * Whether the request's Origin, or failing that its Referer, is this site. Absent both (some
 * privacy settings strip them) the token alone decides; `Origin: null` (sandboxed frames,
 * file: pages) is refused. The host compared with is the Host header or, behind a reverse
 * proxy, X-Forwarded-Host: neither can be set by a cross-site form.
 */
export function sameOrigin(headers: IncomingHttpHeaders): boolean {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const source = first(headers.origin) ?? first(headers.referer);
  if (source === undefined) return true;
  let host: string;
  try {
    host = new URL(source).host.toLowerCase();
  } catch {
    return false;
  }
  const hosts = [first(headers.host), first(headers['x-forwarded-host'])?.split(',')[0]?.trim()]
    .filter((h): h is string => !!h)
    .map((h) => h.toLowerCase());
  return hosts.includes(host);
}
