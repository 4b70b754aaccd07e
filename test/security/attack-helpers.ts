import { request } from 'node:http';
import type { Store } from '../../src/core/store.js';

/**
 * Helpers of the attack suites: raw HTTP requests (paths sent exactly as written, from a
 * chosen local address) and a fingerprint of everything the store holds, compared before and
 * after each attack to prove nothing was stored.
 */
export interface RawRes { status: number; headers: Record<string, string | string[] | undefined>; text: string }

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

export function raw(base: string, method: string, path: string, opts: { headers?: Record<string, string>; body?: string | Buffer; localAddress?: string } = {}): Promise<RawRes> {
  const u = new URL(base);
  return new Promise((ok, fail) => {
    const r = request({ host: u.hostname, port: u.port, method, path, headers: opts.headers, localAddress: opts.localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    r.on('error', fail);
    r.end(opts.body);
  });
}

/** Every collection, item version, tombstone, link-free log entry count: changes if anything was stored. */
export async function storeFingerprint(store: Store): Promise<string> {
  const cols = await store.listCollections();
  const parts: string[] = [];
  for (const c of cols.sort((a, b) => a.name.localeCompare(b.name))) {
    parts.push(`${c.name}|${c.owner}|${c.displayName ?? ''}|${c.color ?? ''}|${c.description ?? ''}|seq ${await store.currentSeq(c.name)}`);
    for (const i of (await store.listItems(c.name, { includeDeleted: true })).sort((a, b) => a.id.localeCompare(b.id))) {
      parts.push(`  ${i.id} ${i.uid} v${i.version} ${i.deleted ? 'deleted' : ''}`);
    }
  }
  parts.push(`log ${(await store.listLog({ limit: 100000 })).length}`);
  return parts.join('\n');
}
