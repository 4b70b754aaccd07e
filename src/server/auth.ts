/**
 * HTTP Basic authentication (RFC 7617) against `server.users`: a scrypt hash from
 * `pimhub passwd`, or the password in the environment variable `passwordEnv` names, or the
 * first output line of `passwordCommand` (run once per process).
 * Comparisons are constant-time; a verified scrypt check is remembered for a few minutes
 * (keyed by a SHA-256 of the credentials, never the password) so a client's burst of
 * requests does not pay scrypt each time. Passwords are never logged nor echoed.
 * Wrong passwords are counted by a {@link LoginThrottle} (429 past its limit) and each one
 * is logged with the user name and the client address, for fail2ban and the like.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { UserConfig } from '../config/load-config.js';
import { verifyPassword } from '../config/passwords.js';
import { readSecret } from '../core/secrets.js';
import { DavError } from './dav-error.js';
import { LoginThrottle } from './login-throttle.js';

/** A wrong password is a `warn` (expected on the internet), a failed request an `error`. */
export type LogLevel = 'warn' | 'error';

const CACHE_MS = 5 * 60 * 1000;
const CACHE_MAX = 1000;

export class Authenticator {
  private readonly verified = new Map<string, number>();

  constructor(
    private readonly users: Record<string, UserConfig>,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly throttle = new LoginThrottle(),
    private readonly log: (line: string, level?: LogLevel) => void = () => {},
  ) {}

  /**
   * The user name, or undefined when the header is missing or wrong. Throws a 429 DavError
   * when `address` has guessed too often (for this user, or over all user names).
   */
  async check(header: string | undefined, address = ''): Promise<string | undefined> {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
    if (!m) return undefined;
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    const user = decoded.slice(0, colon);
    const verdict = this.throttle.verdict(address, user);
    if (!verdict.allowed) {
      throw new DavError(429, 'too many wrong passwords from this address; try again later', undefined, { 'Retry-After': String(verdict.retryAfterSeconds) });
    }
    const ok = await this.verify(user, decoded.slice(colon + 1));
    if (ok) {
      this.throttle.succeeded(address, user);
      return user;
    }
    const n = this.throttle.failed(address, user);
    const who = `${Object.hasOwn(this.users, user) ? 'user' : 'unknown user'} ${JSON.stringify(user.slice(0, 64))}`;
    this.log(`pimhub serve: wrong password for ${who} from ${address || 'an unknown address'} (${n} of ${this.throttle.limits.perUser} before a pause)`, 'warn');
    return undefined;
  }

  private async verify(user: string, password: string): Promise<boolean> {
    const cfg = Object.hasOwn(this.users, user) ? this.users[user] : undefined;
    if (!cfg) return false;
    if (cfg.passwordEnv !== undefined || cfg.passwordCommand !== undefined) {
      let expected: string | undefined;
      try {
        expected = readSecret(cfg, `server.users.${user}`, this.env);
      } catch {
        return false; // `serve` and `daemon` refuse to start without it (requireSecrets)
      }
      return expected !== undefined && expected !== '' && sameSecret(password, expected);
    }
    if (cfg.passwordHash === undefined) return false;
    const key = createHash('sha256').update(`${user}\0${password}\0${cfg.passwordHash}`).digest('hex');
    const until = this.verified.get(key);
    if (until !== undefined && until > Date.now()) return true;
    if (!(await verifyPassword(password, cfg.passwordHash))) return false;
    if (this.verified.size >= CACHE_MAX) this.verified.clear();
    this.verified.set(key, Date.now() + CACHE_MS);
    return true;
  }
}

/** Constant-time equality of two secrets of any lengths (both hashed to the same size first). */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
