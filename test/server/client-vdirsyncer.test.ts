import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Scenario } from '../cli/cli-harness.js';
import { skipUnless, startServe, stopServe } from './real-client-helpers.js';
import { vcard, vevent } from './server-harness.js';

const skip = skipUnless('vdirsyncer');
const ENV = { PIMHUB_TEST_PW: 'vdir-pass' };

/**
 * Debian's vdirsyncer against a spawned `pimhub serve`. The collections also have vdir
 * members (`desk`, `diary`), so an edit synced up by vdirsyncer reaches them through
 * `pimhub sync`, and an edit made there comes down to vdirsyncer's folder.
 */
describe('client: vdirsyncer against pimhub serve', { skip }, () => {
  let s: Scenario;
  let serve: { base: string; proc: ChildProcess };
  const vds = (args: string[]) => {
    const r = spawnSync('vdirsyncer', ['-c', s.path('vdirsyncer.conf'), ...args], { encoding: 'utf8', input: 'y\ny\ny\ny\n', timeout: 60000 });
    assert.equal(r.status, 0, `vdirsyncer ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
    return r.stdout + r.stderr;
  };
  const localFile = (col: string, uid: string) => {
    const dir = s.path('local', col);
    const f = readdirSync(dir).find((n) => readFileSync(join(dir, n), 'utf8').includes(`UID:${uid}`));
    assert.ok(f, `${uid} in ${dir}: ${readdirSync(dir).join(', ')}`);
    return join(dir, f);
  };

  before(async () => {
    s = new Scenario('vdirsyncer');
    for (const d of ['desk', 'diary', 'local/contacts', 'local/personal', 'status']) mkdirSync(s.path(d), { recursive: true });
    s.write('desk/vd-anna.vcf', vcard('vd-anna', ['FN:Anna Vdir', 'N:Vdir;Anna;;;', 'EMAIL:anna@vdir.example']));
    s.write('diary/vd-ev.ics', vevent('vd-ev', ['SUMMARY:Planning', 'DTSTART:20240105T100000Z', 'DTEND:20240105T110000Z']));
    s.config(`store: sqlite:./pimhub.db
server:
  listen: 127.0.0.1:0
  users:
    alice: { passwordEnv: PIMHUB_TEST_PW }
connectors:
  desk: { type: vdir, path: ./desk }
  diary: { type: vdir, path: ./diary }
collections:
  contacts: { kind: contacts, members: [desk], owner: alice }
  personal: { kind: calendar, members: [diary], owner: alice }
`);
    const sync = s.run(['sync']);
    assert.equal(sync.code, 0, sync.stderr);
    serve = await startServe(s, ENV);
    const storage = (name: string, type: string, ext: string) => `
[pair ${name}]
a = "${name}_remote"
b = "${name}_local"
collections = ["from a"]
conflict_resolution = "a wins"

[storage ${name}_remote]
type = "${type}"
url = "${serve.base}/"
username = "alice"
password = "${ENV.PIMHUB_TEST_PW}"

[storage ${name}_local]
type = "filesystem"
path = "${s.path('local')}/"
fileext = "${ext}"
`;
    writeFileSync(s.path('vdirsyncer.conf'), `[general]\nstatus_path = "${s.path('status')}/"\n${storage('cards', 'carddav', '.vcf')}${storage('cals', 'caldav', '.ics')}`);
  });
  after(async () => {
    if (serve) await stopServe(serve.proc);
    s?.cleanup();
  });

  test('discover finds the address book and the calendar; the first sync brings both down', () => {
    const out = vds(['discover']);
    assert.match(out, /contacts/);
    assert.match(out, /personal/);
    vds(['sync']);
    assert.match(readFileSync(localFile('contacts', 'vd-anna'), 'utf8'), /FN:Anna Vdir/);
    assert.match(readFileSync(localFile('personal', 'vd-ev'), 'utf8'), /SUMMARY:Planning/);
  });

  test('a local edit synced up is merged into the other member (desk) by pimhub sync', () => {
    const f = localFile('contacts', 'vd-anna');
    writeFileSync(f, readFileSync(f, 'utf8').replace('FN:Anna Vdir', 'FN:Anna Vdir-Edited'));
    const ev = localFile('personal', 'vd-ev');
    writeFileSync(ev, readFileSync(ev, 'utf8').replace('SUMMARY:Planning', 'SUMMARY:Planning (moved)'));
    vds(['sync']);
    const sync = s.run(['sync']);
    assert.equal(sync.code, 0, sync.stderr);
    assert.match(readFileSync(s.path('desk', 'vd-anna.vcf'), 'utf8'), /FN:Anna Vdir-Edited/);
    assert.match(readFileSync(s.path('diary', 'vd-ev.ics'), 'utf8'), /SUMMARY:Planning \(moved\)/);
    const log = s.run(['log', '--json', '--item', 'vd-anna']).json<{ entries: Array<{ action: string; connector: string }> }>();
    assert.ok(log.entries.some((e) => e.connector === 'endpoint' && e.action === 'updated'));
  });

  test('an edit at the other member comes down to vdirsyncer', () => {
    const f = s.path('desk', 'vd-anna.vcf');
    writeFileSync(f, readFileSync(f, 'utf8').replace('END:VCARD', 'NOTE:added on the desk\r\nEND:VCARD'));
    const sync = s.run(['sync']);
    assert.equal(sync.code, 0, sync.stderr);
    vds(['sync']);
    const local = readFileSync(localFile('contacts', 'vd-anna'), 'utf8');
    assert.match(local, /NOTE:added on the desk/);
    assert.match(local, /FN:Anna Vdir-Edited/);
  });

  test('a card created locally is uploaded and reaches the desk', () => {
    writeFileSync(s.path('local', 'contacts', 'vd-new.vcf'), vcard('vd-new', ['FN:Nora Neu']));
    vds(['sync']);
    assert.equal(s.run(['sync']).code, 0);
    assert.ok(readdirSync(s.path('desk')).some((n) => readFileSync(s.path('desk', n), 'utf8').includes('UID:vd-new')));
  });

  test('the round-trip corpus: uploaded, read back and compared by vdirsyncer, with no difference', () => {
    const corpus = join(process.cwd(), 'fixtures', 'roundtrip');
    const files = readdirSync(corpus).filter((f) => /\.(vcf|ics)$/.test(f));
    for (const f of files) copyFileSync(join(corpus, f), s.path('local', f.endsWith('.vcf') ? 'contacts' : 'personal', f));
    const up = vds(['sync']);
    assert.equal(up.match(/Copying \(uploading\)/g)?.length, files.length, up);
    // Without its status, vdirsyncer downloads every item and compares it with the local file
    // (a difference would be a conflict, "a wins": the local file rewritten).
    let removed = 0;
    for (const pair of readdirSync(s.path('status'), { withFileTypes: true }).filter((d) => d.isDirectory())) {
      for (const f of readdirSync(s.path('status', pair.name)).filter((n) => n.endsWith('.items'))) {
        rmSync(s.path('status', pair.name, f));
        removed += 1;
      }
    }
    assert.equal(removed, 2, 'the item status of both pairs');
    const again = vds(['sync']);
    assert.doesNotMatch(again, /Copying \(updating\)|Copying \(uploading\)|Deleting/, again);
    for (const f of files) {
      const local = s.path('local', f.endsWith('.vcf') ? 'contacts' : 'personal', f);
      assert.equal(readFileSync(local, 'utf8'), readFileSync(join(corpus, f), 'utf8'), f);
    }
  });
});
