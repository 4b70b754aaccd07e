import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { decodeGoogleCsv } from '../../src/codecs/csv/index.js';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import type { Scenario } from '../cli/cli-harness.js';
import { PASSWORD_ENV } from '../dav/dav-setup.js';
import { card, putText } from '../dav/seed.js';
import type { DavServer } from '../dav/servers.js';
import type { CrashStore } from './crash-store.js';

/**
 * The crash suite's world: one address book held by four members — a phone export (.vcf),
 * a Google CSV, a vdir and a real Radicale collection — with edits, new cards and deletions
 * made on each between runs, and the checks that must hold after every run. Contacts are
 * told apart by their e-mail address (the CSV keeps no UID).
 */
const VCARD = 'text/vcard; charset=utf-8';
export const MEMBERS = ['phone', 'google', 'cards', 'cloud'] as const;
export type Member = (typeof MEMBERS)[number];

const emailOf = (i: number | string) => `crash-${i}@example.org`;
const person = (i: number | string) => card(`crash-${i}`, [`FN:Crash Person ${i}`, `N:Person ${i};Crash;;;`, `EMAIL;TYPE=home:${emailOf(i)}`, `TEL;TYPE=cell:+49 170 ${String(1_000_000 + Number(String(i).replace(/\D/g, '')))}`]);

/** A member's cards, by e-mail; more than one text under a key is a duplicate. */
type Cards = Map<string, string[]>;

export class CrashWorld {
  /** Every contact that must exist, and the note each must carry ('' for none). */
  readonly expected = new Map<string, string>();
  private bookUrl = '';
  private readonly davHrefs = new Map<string, string>();
  private nextFresh = 0;
  private untouched: number[] = [];

  constructor(readonly sc: Scenario, readonly server: DavServer, readonly items: number, readonly store: CrashStore) {}

  get env(): Record<string, string> {
    return { [PASSWORD_ENV]: this.server.password! };
  }

  /** The members' initial content: a quarter of the contacts each, then the config. */
  async setup(bookName: string): Promise<void> {
    this.bookUrl = await this.server.newCollection('contacts', bookName);
    const quarter = Math.ceil(this.items / 4);
    const ids = Array.from({ length: this.items }, (_, i) => i);
    this.untouched = [...ids];
    for (const i of ids) this.expected.set(emailOf(i), '');
    writeFileSync(this.sc.path('phone.vcf'), ids.slice(0, quarter).map(person).join(''));
    const rows = ids.slice(quarter, 2 * quarter).map((i) => [`Crash`, `Person ${i}`, '', '* myContacts', 'Home', emailOf(i)]);
    writeFileSync(this.sc.path('google.csv'), stringify([['First Name', 'Last Name', 'Notes', 'Labels', 'E-mail 1 - Label', 'E-mail 1 - Value'], ...rows], { record_delimiter: '\r\n' }));
    mkdirSync(this.sc.path('cards'));
    for (const i of ids.slice(2 * quarter, 3 * quarter)) writeFileSync(this.sc.path('cards', `crash-${i}.vcf`), person(i));
    const queue = ids.slice(3 * quarter);
    await Promise.all(Array.from({ length: 6 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) await putText(this.server, `${this.bookUrl}crash-${i}.vcf`, person(i), VCARD);
    }));
    this.sc.config([
      `store: ${JSON.stringify(this.store.url)}`,
      'connectors:',
      '  phone: { type: vcard-file, path: ./phone.vcf }',
      '  google: { type: google-csv, path: ./google.csv }',
      '  cards: { type: vdir, path: ./cards }',
      `  cloud: { type: dav, url: "${this.server.url}", username: ${this.server.username}, passwordEnv: ${PASSWORD_ENV}, retries: 1 }`,
      'collections:',
      // Single files first: the first atomic rewrites of a run are the .vcf's, then the CSV's.
      `  contacts: { kind: contacts, members: [phone, google, cards, cloud/${bookName}] }`,
      '',
    ].join('\n'));
  }

  /**
   * Edits made before a run: a note on one contact in each member (a different contact each
   * time, so no two edits meet), a new card in the vdir and on the server, and a deletion in
   * the phone export.
   */
  async edit(round: string): Promise<void> {
    const take = () => {
      const i = this.untouched.shift();
      if (i === undefined) throw new Error('the crash world ran out of untouched contacts: raise PIMHUB_CRASH_ITEMS');
      return emailOf(i);
    };
    const note = (m: Member) => `crash ${round} ${m}`;
    // The phone export: one note, one deletion.
    const [pNote, pGone] = [take(), take()];
    const phone = readFileSync(this.sc.path('phone.vcf'), 'utf8');
    const blocks = splitCards(phone);
    const next = blocks.filter((b) => !b.includes(pGone)).map((b) => (b.includes(pNote) ? withNote(b, note('phone')) : b));
    assert.equal(next.length, blocks.length - 1, `${pGone} is in phone.vcf`);
    writeFileSync(this.sc.path('phone.vcf'), next.join(''));
    this.expected.set(pNote, note('phone'));
    this.expected.delete(pGone);
    // The Google CSV: one note.
    const gNote = take();
    const table = parse(readFileSync(this.sc.path('google.csv')), { bom: true, relax_column_count: true }) as string[][];
    const [noteCol, mailCol] = [table[0]!.indexOf('Notes'), table[0]!.findIndex((h) => /^E-mail \d - Value$/.test(h))];
    const row = table.find((r) => r.some((c) => c.includes(gNote)));
    assert.ok(row && noteCol >= 0 && mailCol >= 0, `${gNote} is in google.csv`);
    row[noteCol] = note('google');
    writeFileSync(this.sc.path('google.csv'), stringify(table, { record_delimiter: '\r\n' }));
    this.expected.set(gNote, note('google'));
    // The vdir: one note, one new card.
    const cNote = take();
    const file = readdirSync(this.sc.path('cards')).filter((f) => !f.startsWith('.')).find((f) => readFileSync(this.sc.path('cards', f), 'utf8').includes(cNote));
    assert.ok(file, `${cNote} is in the vdir`);
    writeFileSync(this.sc.path('cards', file), withNote(readFileSync(this.sc.path('cards', file), 'utf8'), note('cards')));
    this.expected.set(cNote, note('cards'));
    const fresh = `new-${this.nextFresh++}`;
    writeFileSync(this.sc.path('cards', `crash-${fresh}.vcf`), person(fresh));
    this.expected.set(emailOf(fresh), '');
    // The server: one note, one new card.
    const dNote = take();
    const href = this.davHrefs.get(dNote);
    assert.ok(href, `${dNote} is on the server`);
    const text = await (await this.server.request('GET', href)).text();
    await putText(this.server, href, withNote(text, note('cloud')), VCARD);
    this.expected.set(dNote, note('cloud'));
    const freshDav = `new-${this.nextFresh++}`;
    await putText(this.server, `${this.bookUrl}crash-${freshDav}.vcf`, person(freshDav), VCARD);
    this.expected.set(emailOf(freshDav), '');
  }

  /** Whole files only: each member's files read completely (no truncated or half-written file). */
  async readMembers(): Promise<Record<Member, Cards>> {
    const phoneText = readFileSync(this.sc.path('phone.vcf'), 'utf8');
    const phone = decodeVCards(phoneText);
    assert.deepEqual(phone.problems.map((p) => `${p.line}: ${p.message}`), [], 'phone.vcf reads without problems');
    const phoneBlocks = splitCards(phoneText);
    assert.equal(phone.items.length, phoneBlocks.length, 'every card of phone.vcf reads');
    const google = decodeGoogleCsv(readFileSync(this.sc.path('google.csv')));
    assert.deepEqual(google.problems.map((p) => `${p.line}: ${p.message}`), [], 'google.csv reads without problems');
    const cards: Cards = new Map();
    for (const f of readdirSync(this.sc.path('cards')).filter((n) => !n.startsWith('.'))) {
      const text = readFileSync(this.sc.path('cards', f), 'utf8');
      const r = decodeVCards(text);
      assert.ok(r.problems.length === 0 && r.items.length === 1, `cards/${f} holds one whole card: ${JSON.stringify(r.problems)}`);
      add(cards, keyOf(text), text);
    }
    return {
      phone: byKey(phoneBlocks),
      google: csvCards(readFileSync(this.sc.path('google.csv'))),
      cards,
      cloud: await this.serverCards(),
    };
  }

  /** Every card on the server, by one PROPFIND and one multiget. */
  private async serverCards(): Promise<Cards> {
    const list = await (await this.server.request('PROPFIND', this.bookUrl, undefined, { Depth: '1' })).text();
    const hrefs = [...list.matchAll(/<(?:\w+:)?href>([^<]+\.vcf)<\/(?:\w+:)?href>/g)].map((m) => m[1]!);
    const body = `<?xml version="1.0"?><C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop>${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</C:addressbook-multiget>`;
    const xml = await (await this.server.request('REPORT', this.bookUrl, body, { Depth: '1', 'Content-Type': 'application/xml; charset=utf-8' })).text();
    const out: Cards = new Map();
    for (const resp of xml.split(/<(?:\w+:)?response>/).slice(1)) {
      const href = /<(?:\w+:)?href>([^<]+)</.exec(resp)?.[1];
      const data = /<(?:\w+:)?address-data[^>]*>([\s\S]*?)<\/(?:\w+:)?address-data>/.exec(resp)?.[1];
      if (!href || data === undefined) continue;
      const text = unescapeXml(data);
      const r = decodeVCards(text);
      assert.ok(r.problems.length === 0 && r.items.length === 1, `${href} holds one whole card`);
      add(out, keyOf(text), text);
      this.davHrefs.set(keyOf(text), new URL(href, this.bookUrl).href);
    }
    assert.equal(hrefs.length, [...out.values()].reduce((n, v) => n + v.length, 0), 'the multiget returned every listed card');
    return out;
  }

  /** What must hold after a completed run: same contacts everywhere, once each, every edit kept, a sound and settled store. */
  async assertConverged(label: string): Promise<void> {
    const members = await this.readMembers();
    const want = [...this.expected.keys()].sort();
    for (const m of MEMBERS) {
      const got = members[m];
      const dupes = [...got].filter(([, v]) => v.length > 1).map(([k]) => k);
      assert.deepEqual(dupes, [], `${label}: ${m} holds no duplicates`);
      const missing = want.filter((k) => !got.has(k));
      const extra = [...got.keys()].filter((k) => !this.expected.has(k));
      assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${label}: ${m} holds exactly the expected contacts`);
      for (const [k, note] of this.expected) {
        if (note === '') continue;
        const text = got.get(k)![0]!;
        assert.ok(text.includes(note), `${label}: ${m}'s ${k} keeps the edit "${note}" (has ${/NOTE:[^\r\n]*/.exec(text)?.[0] ?? 'no note'})`);
      }
    }
    await this.store.assertSettled(label, this.expected.size);
  }

  /** After a kill: the files are whole (old or new, never half) and the store is sound. */
  async assertWhole(label: string): Promise<void> {
    await this.readMembers();
    await this.store.assertSound(label);
  }
}

function withNote(text: string, note: string): string {
  const next = text.replace(/\r?\nEND:VCARD/, `\r\nNOTE:${note}\r\nEND:VCARD`);
  assert.notEqual(next, text);
  return next;
}

function keyOf(text: string): string {
  const m = /crash-[\w-]+@example\.org/i.exec(text);
  assert.ok(m, `a crash card without its e-mail: ${text.slice(0, 200)}`);
  return m[0].toLowerCase();
}

function add(cards: Cards, key: string, text: string): void {
  cards.set(key, [...(cards.get(key) ?? []), text]);
}

function byKey(texts: string[]): Cards {
  const out: Cards = new Map();
  for (const t of texts) add(out, keyOf(t), t);
  return out;
}

/** The cards of a .vcf, as text. */
function splitCards(file: string): string[] {
  return file.split(/(?<=END:VCARD\r?\n)/).filter((b) => b.trim() !== '');
}

/** A CSV's rows as text lines of `header: value`, so notes and e-mails can be looked for as in a card. */
function csvCards(bytes: Buffer): Cards {
  const [header, ...rows] = parse(bytes, { bom: true, relax_column_count: true }) as string[][];
  return byKey(rows.map((r) => r.map((c, i) => `${header![i]}: ${c}`).join('\r\n')));
}

function unescapeXml(s: string): string {
  return s.replace(/&#13;/g, '\r').replace(/&#x[dD];/g, '\r').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
