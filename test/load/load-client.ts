import http from 'node:http';

/**
 * Simulated CardDAV clients for the load suite (issue 13, point 5): each of `clients` loops
 * for `durationMs` over a mix of PROPFIND Depth 1 of the whole collection, addressbook-multiget
 * of 20–50 cards, sync-collection from its last token, GET of one card, and PUT with If-Match
 * of a card only it writes (a 412 re-reads and retries). Records per-operation latencies and
 * errors, and the last NOTE each client wrote to each of its cards, so the test can check that
 * no write was lost. Keep-alive sockets, one per client, as real clients have.
 */
export type Op = 'propfind' | 'multiget' | 'sync' | 'get' | 'put';
export interface LoadTarget {
  /** Collection URL with a trailing slash. */
  url: string;
  authorization: string;
  /** Object hrefs (paths) in the collection; the first `clients × ownPerClient` are written. */
  hrefs: string[];
}
export interface LoadOptions {
  clients: number;
  durationMs: number;
  ownPerClient: number;
  seed: number;
  /** Share of each operation (summing to 1); MIX by default. */
  mix?: ReadonlyArray<readonly [Op, number]>;
  /** The first client's number: clients of two loads run at once write different cards. */
  firstClient?: number;
}
export interface OpStats { count: number; errors: number; p50: number; p99: number; max: number }
export interface LoadResult {
  seconds: number;
  requests: number;
  rps: number;
  ops: Record<Op, OpStats>;
  errors: string[];
  writes: number;
  /** href → the NOTE of the last successful PUT. */
  lastWrite: Map<string, string>;
}

export const MIX: ReadonlyArray<readonly [Op, number]> = [['propfind', 0.05], ['multiget', 0.25], ['sync', 0.1], ['get', 0.35], ['put', 0.25]];

interface Res { status: number; headers: http.IncomingHttpHeaders; body: string }

export async function runLoad(t: LoadTarget, o: LoadOptions): Promise<LoadResult> {
  const u = new URL(t.url);
  const lat: Record<Op, number[]> = { propfind: [], multiget: [], sync: [], get: [], put: [] };
  const errs: Record<Op, number> = { propfind: 0, multiget: 0, sync: 0, get: 0, put: 0 };
  const errors: string[] = [];
  const lastWrite = new Map<string, string>();
  let writes = 0;
  const started = Date.now();
  const end = started + o.durationMs;

  const mix = o.mix ?? MIX;
  const client = async (c: number) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    let rnd = (o.seed + c * 7919) >>> 0 || 1;
    const random = () => {
      rnd ^= rnd << 13;
      rnd ^= rnd >>> 17;
      rnd ^= rnd << 5;
      rnd >>>= 0;
      return rnd / 0x1_0000_0000;
    };
    const send = (method: string, path: string, headers: Record<string, string>, body?: string) => new Promise<Res>((ok, fail) => {
      const req = http.request({ host: u.hostname, port: u.port, method, path, agent, headers: { authorization: t.authorization, ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end(body);
    });
    const own = t.hrefs.slice(c * o.ownPerClient, (c + 1) * o.ownPerClient);
    let token = '';
    let n = 0;
    while (Date.now() < end) {
      let r = random();
      const op = mix.find(([, w]) => (r -= w) < 0)?.[0] ?? mix[mix.length - 1]![0];
      const t0 = performance.now();
      let ok = false;
      try {
        switch (op) {
          case 'propfind': {
            const res = await send('PROPFIND', u.pathname, { depth: '1', 'content-type': 'application/xml' }, '<d:propfind xmlns:d="DAV:"><d:prop><d:getetag/><d:resourcetype/></d:prop></d:propfind>');
            ok = res.status === 207 && res.body.includes('getetag');
            break;
          }
          case 'multiget': {
            const start = Math.floor(random() * Math.max(1, t.hrefs.length - 50));
            const hrefs = t.hrefs.slice(start, start + 20 + Math.floor(random() * 31)).map((h) => `<d:href>${h}</d:href>`).join('');
            const res = await send('REPORT', u.pathname, { depth: '1', 'content-type': 'application/xml' },
              `<cr:addressbook-multiget xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><cr:address-data/></d:prop>${hrefs}</cr:addressbook-multiget>`);
            ok = res.status === 207 && res.body.includes('BEGIN:VCARD');
            break;
          }
          case 'sync': {
            const res = await send('REPORT', u.pathname, { depth: '1', 'content-type': 'application/xml' },
              `<d:sync-collection xmlns:d="DAV:"><d:sync-token>${token}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`);
            ok = res.status === 207;
            token = /<(?:\w+:)?sync-token>([^<]+)</.exec(res.body)?.[1] ?? token;
            break;
          }
          case 'get': {
            const res = await send('GET', t.hrefs[Math.floor(random() * t.hrefs.length)]!, {});
            ok = res.status === 200 && res.body.includes('BEGIN:VCARD');
            break;
          }
          case 'put': {
            const href = own[Math.floor(random() * own.length)]!;
            const note = `load ${c}-${n++}`;
            for (let attempt = 0; attempt < 5 && !ok; attempt++) {
              const cur = await send('GET', href, {});
              if (cur.status !== 200) break;
              const text = cur.body.replace(/\r\nNOTE:[^\r\n]*/g, '').replace(/\r\nEND:VCARD/, `\r\nNOTE:${note}\r\nEND:VCARD`);
              const res = await send('PUT', href, { 'content-type': 'text/vcard; charset=utf-8', 'if-match': String(cur.headers.etag) }, text);
              if (res.status === 412) continue;
              ok = res.status === 204 || res.status === 201 || res.status === 200;
              if (!ok && errors.length < 20) errors.push(`PUT ${href}: ${res.status} ${res.body.slice(0, 200)}`);
            }
            if (ok) {
              lastWrite.set(href, note);
              writes++;
            }
            break;
          }
        }
      } catch (e) {
        if (errors.length < 20) errors.push(`${op}: ${e instanceof Error ? e.message : String(e)}`);
      }
      lat[op].push(performance.now() - t0);
      if (!ok) errs[op]++;
    }
    agent.destroy();
  };
  await Promise.all(Array.from({ length: o.clients }, (_, c) => client((o.firstClient ?? 0) + c)));
  const seconds = (Date.now() - started) / 1000;
  const stats = (xs: number[], e: number): OpStats => {
    const s = [...xs].sort((a, b) => a - b);
    const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0);
    return { count: s.length, errors: e, p50: q(0.5), p99: q(0.99), max: Math.round(s[s.length - 1] ?? 0) };
  };
  const ops = Object.fromEntries((Object.keys(lat) as Op[]).map((k) => [k, stats(lat[k], errs[k])])) as Record<Op, OpStats>;
  const requests = Object.values(ops).reduce((a, b) => a + b.count, 0);
  return { seconds, requests, rps: Math.round(requests / seconds), ops, errors, writes, lastWrite };
}
