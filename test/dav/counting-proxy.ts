import http from 'node:http';

/** One request that went through the proxy. */
export interface SeenRequest {
  method: string;
  path: string;
  depth?: string;
  /** The REPORT's root element (`sync-collection`, `addressbook-multiget`, …). */
  report?: string;
  status: number;
}

/**
 * A loopback HTTP proxy in front of a DAV server that records every request, so a test can
 * count what pimhub sent (the CLI runs in its own process). Hostless: point the connector's
 * url at `proxy.url` instead of the server.
 */
export class CountingProxy {
  readonly seen: SeenRequest[] = [];
  /** Paths the proxy answers itself with a 301 to another path (a server that moved a collection). */
  readonly moved = new Map<string, string>();
  private server?: http.Server;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<this> {
    const t = new URL(this.target);
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const report = req.method === 'REPORT' ? /<(?:[\w-]+:)?([\w-]+)[\s>]/.exec(body.toString('utf8').replace(/<\?xml[^>]*\?>/, ''))?.[1] : undefined;
        const entry: SeenRequest = { method: req.method ?? '', path: req.url ?? '', ...(req.headers.depth ? { depth: String(req.headers.depth) } : {}), ...(report ? { report } : {}), status: 0 };
        this.seen.push(entry);
        const to = this.moved.get(req.url ?? '');
        if (to !== undefined) {
          entry.status = 301;
          res.writeHead(301, { Location: new URL(to, this.url).href }).end();
          return;
        }
        const headers = { ...req.headers, host: t.host };
        const out = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers }, (up) => {
          entry.status = up.statusCode ?? 0;
          const h = { ...up.headers };
          if (typeof h.location === 'string') h.location = h.location.replace(t.origin, this.url.replace(/\/$/, ''));
          res.writeHead(up.statusCode ?? 502, h);
          up.pipe(res);
        });
        out.on('error', () => {
          res.writeHead(502);
          res.end();
        });
        out.end(body);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as { port: number }).port}/`;
    return this;
  }

  reset(): void {
    this.seen.length = 0;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
