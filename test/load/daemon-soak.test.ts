import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { rng } from '../../bench/generate.js';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { Scenario } from '../cli/cli-harness.js';
import { DaemonProcess } from '../cli/daemon-harness.js';
import { card } from '../dav/seed.js';
import { basic } from '../security/attack-helpers.js';

/**
 * Daemon soak (issue 13, point 5): `pimhub daemon` with a vdir, a phone export and its
 * endpoint, while files are edited and created in the vdir and clients create and edit
 * contacts through CardDAV (GET + PUT with If-Match), with scheduled syncs (every 5 s) and
 * write-triggered ones. Each contact has one editor (a file or a client), so its last edit is
 * what every member must hold once the edits stop. Asserted: everything converges, each
 * contact once, no sync fails. Recorded, never asserted: the daemon's RSS over the run.
 * Short by default (20 s); PIMHUB_SOAK_SECONDS or PIMHUB_LONG_TESTS=1 (600 s) for the long one.
 */
const LONG = process.env.PIMHUB_LONG_TESTS === '1';
const SECONDS = Number(process.env.PIMHUB_SOAK_SECONDS ?? (LONG ? 600 : 20));
const CONTACTS = 300;
const PW = 'soak-password';
const VCARD = 'text/vcard; charset=utf-8';

const person = (uid: string, note: string) => card(uid, [`FN:Soak ${uid}`, `N:${uid};Soak;;;`, `EMAIL:${uid}@soak.example`, `NOTE:${note}`]);
const noteOf = (text: string) => /^NOTE:(.*)$/m.exec(text)?.[1]?.trim();
const uidOf = (text: string) => /^UID:(.*)$/m.exec(text)?.[1]?.trim() ?? '';

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : 0;
}

test(`daemon soak: ${SECONDS} s of file and client edits with scheduled and write-triggered syncs; everything converges`, { timeout: (SECONDS + 300) * 1000 }, async () => {
  const sc = new Scenario('soak');
  let d: DaemonProcess | undefined;
  try {
    mkdirSync(sc.path('desk'));
    const expected = new Map<string, string>();
    for (let i = 0; i < CONTACTS; i++) {
      sc.write(`desk/file-${i}.vcf`, person(`file-${i}`, 'initial'));
      expected.set(`file-${i}`, 'initial');
    }
    sc.write('phone.vcf', '');
    sc.config([
      'store: sqlite:./pimhub.db', 'schedule: "*/5 * * * * *"',
      'server:', '  listen: 127.0.0.1:0', '  users:', '    alice: { passwordEnv: SOAK_PW }',
      'connectors:', '  desk: { type: vdir, path: ./desk }', '  phone: { type: vcard-file, path: ./phone.vcf }',
      'collections:', '  contacts: { kind: contacts, members: [desk, phone], owner: alice }', '',
    ].join('\n'));
    d = await DaemonProcess.start(sc, { SOAK_PW: PW }, ['--debounce', '1']);
    await d.waitFor((r) => r.msg === 'sync done', 120_000, 'the first sync');
    const pid = d.proc.pid!;
    const authorization = basic('alice', PW);
    const book = `${d.base}/dav/home/alice/contacts/`;
    const rss: number[] = [rssMb(pid)];
    const sampler = setInterval(() => rss.push(rssMb(pid)), 2000);

    // Edits until the time is up: a file edit, a new file, a client's new contact or a client's edit.
    const random = rng(1313);
    const clientHrefs = new Map<string, string>();
    const counts = { fileEdits: 0, fileCreates: 0, clientCreates: 0, clientEdits: 0, retries412: 0 };
    const end = Date.now() + SECONDS * 1000;
    for (let k = 0; Date.now() < end; k++) {
      const what = random();
      const note = `soak edit ${k}`;
      if (what < 0.35) {
        const uid = `file-${Math.floor(random() * CONTACTS)}`;
        const path = sc.path('desk', `${uid}.vcf`);
        writeFileSync(path, readFileSync(path, 'utf8').replace(/^NOTE:.*$/m, `NOTE:${note}`));
        // A later mtime, so two edits within one clock tick are still two versions.
        const t = new Date(Date.now() + 1000);
        utimesSync(path, t, t);
        expected.set(uid, note);
        counts.fileEdits += 1;
      } else if (what < 0.45) {
        const uid = `file-new-${k}`;
        writeFileSync(sc.path('desk', `${uid}.vcf`), person(uid, note));
        expected.set(uid, note);
        counts.fileCreates += 1;
      } else if (what < 0.65 || clientHrefs.size === 0) {
        const uid = `client-${k}`;
        const r = await fetch(`${book}${uid}.vcf`, { method: 'PUT', headers: { authorization, 'content-type': VCARD, 'if-none-match': '*' }, body: person(uid, note) });
        await r.arrayBuffer();
        assert.equal(r.status, 201, `PUT ${uid}`);
        clientHrefs.set(uid, `${book}${uid}.vcf`);
        expected.set(uid, note);
        counts.clientCreates += 1;
      } else {
        const uids = [...clientHrefs.keys()];
        const uid = uids[Math.floor(random() * uids.length)]!;
        for (let attempt = 0; ; attempt++) {
          const g = await fetch(clientHrefs.get(uid)!, { headers: { authorization } });
          const text = await g.text();
          assert.equal(g.status, 200, `GET ${uid}`);
          const r = await fetch(clientHrefs.get(uid)!, { method: 'PUT', headers: { authorization, 'content-type': VCARD, 'if-match': g.headers.get('etag')! }, body: text.replace(/^NOTE:.*$/m, `NOTE:${note}`) });
          await r.arrayBuffer();
          if (r.status === 412 && attempt < 5) {
            counts.retries412 += 1;
            continue;
          }
          assert.ok(r.status === 204 || r.status === 200 || r.status === 201, `PUT ${uid}: ${r.status}`);
          break;
        }
        expected.set(uid, note);
        counts.clientEdits += 1;
      }
      await new Promise((r) => setTimeout(r, 100 + Math.floor(random() * 300)));
    }

    // The edits stop; scheduled syncs carry the rest. Converged: every member holds every contact once, with its last edit.
    const state = async () => {
      const desk = new Map<string, string[]>();
      for (const f of readdirSync(sc.path('desk')).filter((n) => !n.startsWith('.'))) {
        const t = readFileSync(sc.path('desk', f), 'utf8');
        desk.set(uidOf(t), [...(desk.get(uidOf(t)) ?? []), noteOf(t) ?? '']);
      }
      const phone = new Map<string, string[]>();
      const phoneText = readFileSync(sc.path('phone.vcf'), 'utf8');
      const blocks = phoneText.split(/(?<=END:VCARD\r?\n)/).filter((b) => b.trim() !== '');
      assert.equal(decodeVCards(phoneText).items.length, blocks.length, 'phone.vcf is whole');
      for (const t of blocks) phone.set(uidOf(t), [...(phone.get(uidOf(t)) ?? []), noteOf(t) ?? '']);
      const list = await (await fetch(book, { method: 'PROPFIND', headers: { authorization, depth: '1' } })).text();
      const hrefs = [...list.matchAll(/<(?:\w+:)?href>([^<]+\.vcf)<\/(?:\w+:)?href>/g)].map((m) => m[1]!);
      const body = `<?xml version="1.0"?><C:addressbook-multiget xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><C:address-data/></D:prop>${hrefs.map((h) => `<D:href>${h}</D:href>`).join('')}</C:addressbook-multiget>`;
      const xml = await (await fetch(book, { method: 'REPORT', headers: { authorization, depth: '1', 'content-type': 'application/xml' }, body })).text();
      const endpoint = new Map<string, string[]>();
      for (const m of xml.matchAll(/<(?:\w+:)?address-data[^>]*>([\s\S]*?)<\/(?:\w+:)?address-data>/g)) {
        const t = m[1]!.replace(/&#13;/g, '\r').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
        endpoint.set(uidOf(t), [...(endpoint.get(uidOf(t)) ?? []), noteOf(t) ?? '']);
      }
      return { desk, phone, endpoint };
    };
    const differences = (s: Awaited<ReturnType<typeof state>>) => {
      const out: string[] = [];
      for (const [name, m] of Object.entries(s)) {
        if (m.size !== expected.size) out.push(`${name} holds ${m.size} contacts, expected ${expected.size}`);
        for (const [uid, note] of expected) {
          const got = m.get(uid);
          if (!got || got.length !== 1 || got[0] !== note) out.push(`${name} ${uid}: ${JSON.stringify(got)} (expected ${note})`);
        }
      }
      return out;
    };
    const settleStart = Date.now();
    let diff: string[] = ['not checked yet'];
    while (diff.length > 0 && Date.now() - settleStart < 120_000) {
      await new Promise((r) => setTimeout(r, 2000));
      diff = differences(await state());
    }
    clearInterval(sampler);
    rss.push(rssMb(pid));
    const syncs = d.records.filter((r) => r.msg === 'sync done');
    const failed = d.records.filter((r) => r.msg === 'sync failed' || r.msg === 'sync crashed');
    const figures = {
      seconds: SECONDS, contacts: expected.size, ...counts, syncs: syncs.length,
      byReason: syncs.reduce<Record<string, number>>((acc, r) => {
        for (const reason of r.reasons as string[]) acc[reason] = (acc[reason] ?? 0) + 1;
        return acc;
      }, {}),
      syncErrors: d.records.filter((r) => r.msg === 'sync error').length, failed: failed.length,
      settledMs: Date.now() - settleStart, rssMb: { first: rss[0], max: Math.max(...rss), last: rss.at(-1), samples: rss.length },
    };
    console.log(`daemon-soak: ${JSON.stringify(figures)}`);
    assert.deepEqual(diff.slice(0, 20), [], 'every member converged to every last edit, each contact once');
    assert.deepEqual(failed.map((r) => r.error), [], 'no sync failed');
    assert.ok(counts.fileEdits + counts.clientEdits > 0 && figures.byReason.schedule && figures.byReason.write, `edits, scheduled and write-triggered syncs happened: ${JSON.stringify(figures)}`);
  } finally {
    await d?.stop();
    sc.cleanup();
  }
});
