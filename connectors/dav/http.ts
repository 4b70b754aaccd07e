import http from 'node:http';
import https from 'node:https';
import { PimError, isPimError, messageOf } from '../../src/core/errors.js';

/** How the connector talks HTTP; built from the connector options. */
export interface HttpSettings {
  timeoutMs: number;
  /** Attempts after the first on 5xx, 429 and dropped connections. */
  retries: number;
  /** First backoff delay; doubled on every attempt (with jitter). */
  retryBaseMs: number;
  /** Longest Retry-After honoured; longer waits are cut to this. */
  maxRetryAfterMs: number;
  /** The Authorization header value, read at use time (the secret lives in the environment). */
  authorization: () => string | undefined;
  /** Sockets per origin: bounds the requests in flight. */
  concurrency: number;
  ca?: string | Buffer;
  insecure: boolean;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** The longest a retried request waits for its answer (the option's own maximum). */
const MAX_TIMEOUT_MS = 600_000;
const RETRY_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_TIMEOUT', 'UND_ERR_SOCKET']);

/** A URL fit for messages and logs: no user name nor password in it. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}

const underICloud = (host: string) => host === 'icloud.com' || host.endsWith('.icloud.com');

/**
 * Whether credentials for the configured origin `home` may go to `target`: only the same
 * origin (scheme, host and port). Never a host a redirect or an href points elsewhere,
 * not even a sibling under the same parent domain (`evil.co.uk` for `cloud.example.co.uk`,
 * `bob.github.io` for `alice.github.io`). The one exception: an account configured under
 * `icloud.com` trusts https hosts under `icloud.com`, because iCloud moves an account to a
 * partition host (`p42-contacts.icloud.com`) by redirect.
 */
export function credentialsMayGo(home: URL, target: URL): boolean {
  if (target.origin === home.origin) return true;
  return home.protocol === 'https:' && target.protocol === 'https:' && underICloud(home.hostname) && underICloud(target.hostname);
}

/** What a request carries: the part of fetch's RequestInit the connector uses. */
export interface DavRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** `manual`: a redirect is returned, not followed. */
  redirect?: 'follow' | 'manual';
  /** Multiplies the connector's timeout for this request (a listing of a whole collection). */
  timeoutScale?: number;
}

/**
 * An answer, shaped like the part of fetch's Response the connector reads. Not node's own
 * Response and Headers: in Node 20 the first use of either loads node's fetch library
 * (undici), ~290 M instructions, about a tenth of a no-change DAV sync's CPU
 * (docs/performance.md, "Speed round 6").
 */
export class DavAnswer {
  readonly headers: { get(name: string): string | null };
  constructor(readonly status: number, readonly statusText: string, readonly url: string, headers: http.IncomingHttpHeaders, private readonly body: Buffer) {
    this.headers = {
      get: (name) => {
        const v = headers[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
    };
  }

  get ok(): boolean {
    return this.status >= 200 && this.status <= 299;
  }

  /** The body as UTF-8, a byte-order mark dropped, as Response.text() reads it. */
  async text(): Promise<string> {
    return new TextDecoder().decode(this.body);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return this.body.buffer.slice(this.body.byteOffset, this.body.byteOffset + this.body.byteLength) as ArrayBuffer;
  }
}

interface Raw {
  status: number;
  statusText: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The connector's one HTTP client, with a fetch-shaped face (DavAnswer): node's http(s) with a
 * keep-alive agent (so `caFile` and `insecure` apply), a timeout per request, bounded
 * retries with backoff on 5xx, 429 (Retry-After honoured) and dropped connections, and
 * redirects followed with the same method (RFC 6764 `/.well-known` answers with one).
 * Credentials go only to the configured origin (see `credentialsMayGo`) and never into a message.
 */
export class DavHttp {
  /** Requests sent, retries and redirects included (for `pimhub status` and tests). */
  requests = 0;
  private readonly agents: { http: http.Agent; https: https.Agent };
  private readonly home: URL;

  constructor(origin: string, private readonly s: HttpSettings) {
    const opts = { keepAlive: true, maxSockets: s.concurrency };
    this.agents = { http: new http.Agent(opts), https: new https.Agent({ ...opts, ca: s.ca, rejectUnauthorized: !s.insecure }) };
    this.home = new URL(origin);
  }

  private trusted(u: URL): boolean {
    return credentialsMayGo(this.home, u);
  }

  /**
   * A fetch-shaped function (what DavRequests sends through); `timeoutScale` in `init`
   * multiplies the connector's timeout for this request (a listing of a whole collection).
   */
  readonly fetch = async (input: string | URL, init: DavRequestInit = {}): Promise<DavAnswer> => {
    const url = typeof input === 'string' ? input : input.href;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(init.headers ?? {})) headers[k.toLowerCase()] = v.trim();
    const body = init.body === undefined ? undefined : typeof init.body === 'string' ? Buffer.from(init.body, 'utf8') : init.body;
    const raw = await this.send(url, (init.method ?? 'GET').toUpperCase(), headers, body, init.redirect === 'manual', Math.min(this.s.timeoutMs * (init.timeoutScale ?? 1), MAX_TIMEOUT_MS));
    const noBody = raw.r.status === 204 || raw.r.status === 205 || raw.r.status === 304;
    return new DavAnswer(raw.r.status, raw.r.statusText, raw.url, raw.r.headers, noBody ? Buffer.alloc(0) : raw.r.body);
  };

  close(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  private async send(url: string, method: string, headers: Record<string, string>, body: Buffer | undefined, manual: boolean, timeoutMs: number): Promise<{ r: Raw; url: string }> {
    let current = url;
    let m = method;
    let b = body;
    for (let hop = 0; ; hop += 1) {
      const r = await this.withRetries(current, m, headers, b, timeoutMs);
      const location = r.headers.location;
      if (manual || !REDIRECTS.has(r.status) || !location || hop >= MAX_REDIRECTS) return { r, url: current };
      current = new URL(location, current).href;
      if (r.status === 303) {
        m = 'GET';
        b = undefined;
      }
    }
  }

  private async withRetries(url: string, method: string, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number): Promise<Raw> {
    let timeout = timeoutMs;
    for (let attempt = 0; ; attempt += 1) {
      const last = attempt >= this.s.retries;
      let r: Raw;
      try {
        r = await this.once(url, method, headers, body, timeout);
      } catch (e) {
        if (isPimError(e)) throw e;
        const code = (e as { code?: string }).code;
        if (last || !code || !RETRY_CODES.has(code)) {
          const tries = attempt > 0 ? ` (after ${attempt + 1} attempts)` : '';
          throw new PimError('io', `${method} ${safeUrl(url)}: ${messageOf(e)}${tries}`, { where: safeUrl(url), cause: e });
        }
        // A server that did not answer in time is usually busy with this very request (it
        // goes on after we hang up): asking again as impatiently only adds to its work.
        if (code === 'ERR_TIMEOUT') timeout = Math.min(timeout * 2, MAX_TIMEOUT_MS);
        await sleep(this.backoff(attempt));
        continue;
      }
      if (last || !(r.status >= 500 || r.status === 429)) return r;
      await sleep(this.retryAfter(r.headers['retry-after']) ?? this.backoff(attempt));
    }
  }

  private backoff(attempt: number): number {
    const d = this.s.retryBaseMs * 2 ** attempt;
    return d / 2 + Math.random() * (d / 2);
  }

  /** Retry-After as seconds or an HTTP date (RFC 9110 §10.2.3), capped. */
  private retryAfter(h: string | undefined): number | undefined {
    if (h === undefined) return undefined;
    const secs = /^\s*\d+\s*$/.test(h) ? Number(h) * 1000 : Date.parse(h) - Date.now();
    if (!Number.isFinite(secs)) return undefined;
    return Math.min(Math.max(secs, 0), this.s.maxRetryAfterMs);
  }

  private once(url: string, method: string, headers: Record<string, string>, body: Buffer | undefined, timeoutMs: number): Promise<Raw> {
    const u = new URL(url);
    const h: Record<string, string> = { ...headers };
    const auth = this.trusted(u) ? this.s.authorization() : undefined;
    if (auth !== undefined && h.authorization === undefined) h.authorization = auth;
    if (body !== undefined) h['content-length'] = String(body.length);
    const secure = u.protocol === 'https:';
    this.requests += 1;
    return new Promise<Raw>((resolve, reject) => {
      const req = (secure ? https : http).request(u, { method, headers: h, agent: secure ? this.agents.https : this.agents.http }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
        res.on('aborted', () => reject(Object.assign(new Error('the connection was dropped mid-answer'), { code: 'ECONNRESET' })));
      });
      req.setTimeout(timeoutMs, () => {
        req.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ERR_TIMEOUT' }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
