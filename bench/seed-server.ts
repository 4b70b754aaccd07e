import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DavServer } from '../test/dav/servers.js';
import { newMobile, withNewMobile } from './server-edits.js';

const VCARD = { 'Content-Type': 'text/vcard; charset=utf-8' };

/**
 * Fills Radicale's address book `bookUrl` with one PUT of the whole .vcf (Radicale creates
 * the collection and names each card `UID.vcf`); single PUTs would each check the UID
 * against the whole collection. Returns the seconds it took.
 */
export async function seedRadicaleBook(server: DavServer, bookUrl: string, cards: ReadonlyArray<{ text: string }>): Promise<number> {
  const t0 = process.hrtime.bigint();
  const put = await server.request('PUT', bookUrl, cards.map((c) => c.text).join(''), VCARD);
  await put.arrayBuffer();
  if (put.status >= 300) throw new Error(`PUT of ${cards.length} cards to ${bookUrl}: ${put.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * Fills a collection that takes no bulk upload (Xandikos) with one PUT per card, `inFlight`
 * at a time, each named `UID.vcf`. Returns the seconds it took.
 */
export async function seedCardByCard(server: DavServer, bookUrl: string, cards: ReadonlyArray<{ uid: string; text: string }>, inFlight = 4): Promise<number> {
  const t0 = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < cards.length) {
      const c = cards[next++]!;
      const url = `${bookUrl}${encodeURIComponent(`${c.uid}.vcf`)}`;
      const r = await server.request('PUT', url, c.text, { ...VCARD, 'If-None-Match': '*' });
      await r.arrayBuffer();
      if (r.status >= 300) throw new Error(`PUT ${url}: ${r.status}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

/**
 * B3's change: the cards `indices` of `cards`, as the server holds them (a GET for text and
 * ETag), get a new mobile number by a PUT with If-Match. Returns the seconds of each PUT.
 */
export async function changeOnServer(server: DavServer, bookUrl: string, cards: ReadonlyArray<{ uid: string }>, indices: readonly number[], run: number): Promise<number[]> {
  const seconds: number[] = [];
  for (const i of indices) {
    const url = `${bookUrl}${encodeURIComponent(`${cards[i]!.uid}.vcf`)}`;
    const got = await server.request('GET', url);
    const text = await got.text();
    const etag = got.headers.get('etag');
    if (got.status !== 200 || !etag) throw new Error(`GET ${url}: ${got.status}${etag ? '' : ', no ETag'} (does the server still name uploaded cards UID.vcf?)`);
    const t0 = process.hrtime.bigint();
    const put = await server.request('PUT', url, withNewMobile(text, newMobile(run, i)), { ...VCARD, 'If-Match': etag });
    await put.arrayBuffer();
    seconds.push(Number(process.hrtime.bigint() - t0) / 1e9);
    if (put.status >= 300) throw new Error(`PUT ${url} with If-Match ${etag}: ${put.status}`);
  }
  return seconds;
}

/**
 * Fills a Xandikos address book through its storage: Xandikos keeps each collection as a
 * git work tree and reads the index, so the cards are written there (`UID.vcf`) and added
 * in one commit; by PUT it commits once per card (1,000 PUTs: minutes under load). `folder`
 * is the collection's folder under the server's data folder. Returns the seconds it took.
 */
export function seedXandikosByGit(folder: string, cards: ReadonlyArray<{ uid: string; text: string }>): number {
  if (!existsSync(join(folder, '.git'))) throw new Error(`${folder} is not a git work tree: Xandikos' storage layout changed; seed it by PUT (seedCardByCard)`);
  const t0 = process.hrtime.bigint();
  for (const c of cards) writeFileSync(join(folder, `${c.uid}.vcf`), c.text);
  const git = (args: string[]) => {
    const r = spawnSync('git', ['-C', folder, '-c', 'user.name=bench', '-c', 'user.email=bench@pimhub.example', ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} in ${folder}: ${r.stderr || r.error?.message}`);
  };
  git(['add', '-A']);
  git(['commit', '-q', '-m', `bench: ${cards.length} cards`]);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}
