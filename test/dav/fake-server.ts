import http from 'node:http';
import https from 'node:https';

export type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

/** A scripted HTTP(S) server on a free loopback port, for what real servers will not do on request. */
export class FakeServer {
  url = '';
  requests = 0;
  private server?: http.Server;

  constructor(private readonly handler: Handler, private readonly tls?: { key: string; cert: string }) {}

  async start(): Promise<this> {
    const listener = (req: http.IncomingMessage, res: http.ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests += 1;
        this.handler(req, Buffer.concat(chunks).toString('utf8'), res);
      });
    };
    this.server = this.tls ? https.createServer(this.tls, listener) : http.createServer(listener);
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `${this.tls ? 'https' : 'http'}://127.0.0.1:${(this.server.address() as { port: number }).port}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

export function multistatus(res: http.ServerResponse, responses: string, extra = ''): void {
  res.writeHead(207, { 'Content-Type': 'application/xml; charset=utf-8' });
  res.end(`<?xml version="1.0" encoding="utf-8"?><d:multistatus xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/">${responses}${extra}</d:multistatus>`);
}

export function response(href: string, props: string, status = 'HTTP/1.1 200 OK'): string {
  return `<d:response><d:href>${href}</d:href><d:propstat><d:prop>${props}</d:prop><d:status>${status}</d:status></d:propstat></d:response>`;
}
