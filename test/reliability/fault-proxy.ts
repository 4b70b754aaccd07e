import http from 'node:http';

/**
 * A loopback HTTP proxy between the DAV connector and a real server that injects faults at
 * set rates, chosen by a seeded generator (issue 13, point 2):
 *
 * - `500`, `503`: answered by the proxy, the server never sees the request;
 * - `429`: with `Retry-After: 1`;
 * - `reset`: the connection is dropped before anything is forwarded;
 * - `lost-answer`: forwarded (the server did it), then the connection is dropped — the client
 *   cannot know its write happened;
 * - `stall`: never answered (the client's timeout must fire);
 * - `truncate`: forwarded, the answer cut after half its body;
 * - `race`: for a PUT or DELETE with If-Match, another client edits the object on the server
 *   first (the `race` callback), so the server itself answers 412.
 *
 * `echoCredentials` makes the injected error bodies and headers repeat the request's
 * Authorization header and the password in it, as a careless server might: pimhub must not
 * pass them on to its output.
 */
export type Fault = '500' | '503' | '429' | 'reset' | 'lost-answer' | 'stall' | 'truncate' | 'race';

export interface FaultRule {
  fault: Fault;
  /** Share of the matching requests that get this fault (0–1). */
  rate: number;
  /** Which requests are eligible; all by default. */
  methods?: string[];
}

export interface ProxyOptions {
  seed: number;
  rules: FaultRule[];
  echoCredentials?: boolean;
  /** Edits the object at this path on the real server (a concurrent client), for `race`. */
  race?: (path: string) => Promise<void>;
}

export class FaultProxy {
  url = '';
  enabled = true;
  readonly injected: Record<Fault, number> = { '500': 0, '503': 0, '429': 0, reset: 0, 'lost-answer': 0, stall: 0, truncate: 0, race: 0 };
  requests = 0;
  private server?: http.Server;
  private state: number;
  private readonly stalled = new Set<http.ServerResponse>();

  constructor(private readonly target: string, private readonly opts: ProxyOptions) {
    this.state = opts.seed >>> 0 || 1;
  }

  /** xorshift32: the same seed injects the same faults into the same request sequence. */
  private random(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }

  private pick(method: string, hasIfMatch: boolean): Fault | undefined {
    if (!this.enabled) return undefined;
    for (const r of this.opts.rules) {
      if (r.methods && !r.methods.includes(method)) continue;
      if (r.fault === 'race' && !hasIfMatch) continue;
      if (this.random() < r.rate) return r.fault;
    }
    return undefined;
  }

  total(): number {
    return Object.values(this.injected).reduce((a, b) => a + b, 0);
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => void this.handle(req, Buffer.concat(chunks), res));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/`;
    return this;
  }

  private async handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    this.requests++;
    const method = req.method ?? 'GET';
    const fault = this.pick(method, req.headers['if-match'] !== undefined);
    if (fault) this.injected[fault]++;
    const echo = this.opts.echoCredentials ? this.echo(req) : '';
    switch (fault) {
      case '500':
      case '503':
        res.writeHead(Number(fault), { 'Content-Type': 'text/plain', ...(echo ? { 'X-Debug-Auth': echo } : {}) }).end(`injected ${fault}${echo ? ` for ${echo}` : ''}\n`);
        return;
      case '429':
        res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'text/plain' }).end(`slow down${echo ? ` ${echo}` : ''}\n`);
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'stall':
        this.stalled.add(res);
        res.on('close', () => this.stalled.delete(res));
        return;
      case 'race':
        await this.opts.race?.(req.url ?? '/').catch(() => {});
        break;
      case 'lost-answer':
      case 'truncate':
      case undefined:
        break;
    }
    this.forward(req, body, res, fault);
  }

  private echo(req: http.IncomingMessage): string {
    const auth = req.headers.authorization ?? '';
    const m = /^Basic (.+)$/.exec(auth);
    return m ? `${auth} (${Buffer.from(m[1]!, 'base64').toString('utf8')})` : auth;
  }

  private forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, fault: Fault | undefined): void {
    const t = new URL(this.target);
    const out = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: { ...req.headers, host: t.host } }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        const answer = Buffer.concat(chunks);
        if (fault === 'lost-answer') return void req.socket.destroy();
        const h = { ...up.headers };
        if (typeof h.location === 'string') h.location = h.location.replace(t.origin, this.url.replace(/\/$/, ''));
        delete h['transfer-encoding'];
        h['content-length'] = String(answer.length);
        res.writeHead(up.statusCode ?? 502, h);
        if (fault === 'truncate' && answer.length > 1) {
          res.write(answer.subarray(0, Math.floor(answer.length / 2)));
          setTimeout(() => req.socket.destroy(), 10);
          return;
        }
        res.end(answer);
      });
    });
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502).end();
      else req.socket.destroy();
    });
    out.end(body);
  }

  async stop(): Promise<void> {
    for (const r of this.stalled) r.socket?.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
