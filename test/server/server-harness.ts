import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connectorSchemas } from '../../connectors/registry.js';
import { decodeICalendar } from '../../src/codecs/icalendar/index.js';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { parseConfig, type PimhubConfig } from '../../src/config/load-config.js';
import type { Store, StoredItem } from '../../src/core/store.js';
import type { Item } from '../../src/model/item.js';
import { createIdentity } from '../../src/normalize/item-identity.js';
import { createServer, type ServerOptions } from '../../src/server/create-server.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';

export const PASSWORD = 'correct horse';
export const ENV = { ALICE_PW: PASSWORD, BOB_PW: 'bobs secret' };

export const CONFIG_YAML = `
store: "memory:"
conflict: newest
server:
  maxBodyBytes: 20000
  users:
    alice: { passwordEnv: ALICE_PW }
    bob: { passwordEnv: BOB_PW }
connectors:
  phone: { type: vcard-file, path: ./phone.vcf }
  agenda: { type: ics-file, path: ./agenda.ics }
collections:
  contacts: { kind: contacts, members: [phone], owner: alice }
  personal: { kind: calendar, members: [agenda], owner: alice }
  bobs: { kind: contacts, members: [phone], owner: bob }
`;

/** An endpoint on an ephemeral 127.0.0.1 port over a memory store, seeded with the config's collections. */
export class TestServer {
  readonly identity = createIdentity('DE');
  base = '';
  /** What the server logged (failed requests, wrong passwords). */
  readonly logs: string[] = [];
  private server?: Server;
  constructor(readonly store: Store, readonly config: PimhubConfig) {}

  static async start(yaml = CONFIG_YAML, store: Store = new MemoryStore(), extra: Partial<ServerOptions> = {}): Promise<TestServer> {
    const config = parseConfig(yaml, '/tmp/pimhub-test.yaml', connectorSchemas());
    await store.init();
    for (const c of Object.values(config.collections)) {
      await store.upsertCollection({ name: c.name, kind: c.kind, owner: c.owner, origin: 'config', displayName: c.name, createdAt: '2024-01-01T00:00:00.000Z' });
    }
    const t = new TestServer(store, config);
    const app = createServer({ store, config, identity: t.identity, env: ENV, log: (line) => t.logs.push(line), ...extra });
    await new Promise<void>((ok) => {
      t.server = app.listen(0, '127.0.0.1', () => ok());
    });
    t.base = `http://127.0.0.1:${(t.server!.address() as AddressInfo).port}`;
    return t;
  }

  async stop(): Promise<void> {
    await new Promise<void>((ok) => this.server!.close(() => ok()));
    this.server!.closeAllConnections?.();
  }

  /** A request as alice (or `user`/`password`; `auth: false` for none). */
  async req(method: string, path: string, opts: { body?: string | Buffer; headers?: Record<string, string>; user?: string; password?: string; auth?: boolean } = {}): Promise<Res> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.auth !== false) {
      const user = opts.user ?? 'alice';
      const pw = opts.password ?? (user === 'bob' ? ENV.BOB_PW : PASSWORD);
      headers.authorization = `Basic ${Buffer.from(`${user}:${pw}`).toString('base64')}`;
    }
    const r = await fetch(`${this.base}${path}`, { method, headers, body: opts.body, redirect: 'manual' });
    return { status: r.status, headers: r.headers, text: await r.text() };
  }

  /** Adds an item to a collection through the store (as a sync of another member would). */
  async seed(collection: string, text: string): Promise<StoredItem> {
    const item: Item = text.includes('BEGIN:VCARD') ? decodeVCards(text).items[0]! : decodeICalendar(text).items[0]!;
    const id = randomUUID();
    await this.store.commit({ items: [{ id, collection, uid: item.uid, item, meta: { fieldSources: {} }, expectVersion: 0, identityKeys: this.identity.identityKeys(item) }] });
    return (await this.store.getItem(id))!;
  }

  /** A change made elsewhere: a new version of the item committed straight to the store. */
  async changeElsewhere(id: string, text: string): Promise<StoredItem> {
    const cur = (await this.store.getItem(id))!;
    const item: Item = text.includes('BEGIN:VCARD') ? decodeVCards(text).items[0]! : decodeICalendar(text).items[0]!;
    await this.store.commit({ items: [{ id, collection: cur.collection, uid: cur.uid, item, meta: cur.meta, expectVersion: cur.version }] });
    return (await this.store.getItem(id))!;
  }
}

export interface Res { status: number; headers: Headers; text: string }

export const vcard = (uid: string, lines: string[], version = '3.0') =>
  ['BEGIN:VCARD', `VERSION:${version}`, `UID:${uid}`, ...lines, 'END:VCARD', ''].join('\r\n');

export const vevent = (uid: string, lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', 'BEGIN:VEVENT', `UID:${uid}`, 'DTSTAMP:20240101T000000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

export const propfindBody = (props: string) =>
  `<?xml version="1.0"?><d:propfind xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav" xmlns:c="urn:ietf:params:xml:ns:caldav" xmlns:cs="http://calendarserver.org/ns/" xmlns:a="http://apple.com/ns/ical/"><d:prop>${props}</d:prop></d:propfind>`;

/** The hrefs of the responses of a multistatus, in order. */
export const hrefsOf = (xml: string): string[] => [...xml.matchAll(/<D:href>([^<]*)<\/D:href>/g)].map((m) => m[1]!);

/** XML-unescapes the text of the first element with that local name. */
export function textOf(xml: string, local: string): string | undefined {
  const m = new RegExp(`<[A-Za-z]+:${local}(?: [^>]*)?>([\\s\\S]*?)</[A-Za-z]+:${local}>`).exec(xml);
  return m?.[1]!.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
