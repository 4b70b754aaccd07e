import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync, unlinkSync } from 'node:fs';
import { once } from 'node:events';
import { Scenario } from './cli-harness.js';
import { count, edit, read } from './files.js';
import { contacts as generateContacts } from '../../bench/generate.js';

const N = 3000;

/** Runs `pimhub sync`, killing it with SIGKILL after `ms` milliseconds; true if it finished first. */
async function syncKilledAfter(s: Scenario, ms: number): Promise<boolean> {
  const child = s.start(['sync']);
  const exit = once(child, 'exit');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const [code, signal] = (await exit) as [number | null, string | null];
  clearTimeout(timer);
  if (signal === 'SIGKILL') return false;
  assert.equal(code, 0, `sync exited ${code}`);
  return true;
}

function uidsIn(text: string): string[] {
  return [...text.matchAll(/^UID:(.*)$/gm)].map((m) => m[1]!.trim());
}

function assertConverged(s: Scenario, expectCount: number): void {
  const a = readdirSync(s.path('a')).filter((f) => !f.startsWith('.'));
  const b = readdirSync(s.path('b')).filter((f) => !f.startsWith('.'));
  assert.equal(a.length, expectCount, 'vdir a holds every contact once');
  assert.equal(b.length, expectCount, 'vdir b holds every contact once');
  const fileUids = uidsIn(read(s.path('all.vcf')));
  assert.equal(fileUids.length, expectCount, 'the vcf holds every contact once');
  assert.equal(new Set(fileUids).size, expectCount, 'no duplicate UIDs in the vcf');
  const aUids = a.map((f) => uidsIn(read(s.path('a', f)))[0]);
  assert.equal(new Set(aUids).size, expectCount, 'no duplicate UIDs in vdir a');
  const status = s.run(['status', '--json']).json();
  assert.equal(status.collections[0].items, expectCount, 'the store holds every contact once');
}

test(`a sync of ${N} contacts killed with SIGKILL at many points converges with nothing lost or duplicated`, { timeout: 600_000 }, async () => {
  const s = new Scenario('crash');
  try {
    mkdirSync(s.path('a'));
    mkdirSync(s.path('b'));
    const contacts = generateContacts(N, 7);
    writeFileSync(s.path('all.vcf'), contacts.map((c) => c.text).join(''));
    s.config(`
connectors:
  file: { type: vcard-file, path: ./all.vcf }
  a: { type: vdir, path: ./a }
  b: { type: vdir, path: ./b }
collections:
  contacts: { kind: contacts, members: [file, a, b] }
`);
    // First sync, interrupted again and again at growing delays, then let through.
    let kills = 0;
    for (const ms of [400, 900, 1500, 2500, 4000, 6000, 9000]) {
      if (await syncKilledAfter(s, ms)) break;
      kills += 1;
    }
    assert.ok(kills >= 3, `the first sync should have been interrupted several times (was ${kills})`);
    assert.ok(await syncKilledAfter(s, 300_000));
    assertConverged(s, N);

    // Edits on both sides, a deletion and a new card, then again interrupted syncs.
    // Temp files of killed writes (dot files) are not entries.
    const entries = (dir: string) => readdirSync(s.path(dir)).filter((f) => !f.startsWith('.')).sort();
    const aFiles = entries('a');
    const bFiles = entries('b');
    for (let i = 0; i < 40; i++) edit(s.path('a', aFiles[i]!), /\r\nEND:VCARD/, `\r\nNOTE:edit-a-${i}\r\nEND:VCARD`);
    for (let i = 40; i < 80; i++) edit(s.path('b', bFiles[i]!), /\r\nEND:VCARD/, `\r\nROLE:edit-b-${i}\r\nEND:VCARD`);
    unlinkSync(s.path('b', bFiles[100]!));
    writeFileSync(s.path('a', 'new-card.vcf'), 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:new-card@pimhub.test\r\nFN:Neue Person\r\nN:Person;Neue;;;\r\nEND:VCARD\r\n');
    for (const ms of [300, 500, 800, 1200]) {
      if (await syncKilledAfter(s, ms)) break;
    }
    assert.ok(await syncKilledAfter(s, 300_000));
    assert.ok(await syncKilledAfter(s, 300_000), 'a further sync after convergence succeeds');
    assertConverged(s, N);
    const all = read(s.path('all.vcf'));
    for (let i = 0; i < 40; i++) assert.equal(count(all, new RegExp(`NOTE:edit-a-${i}\\r\\n`)), 1, `edit-a-${i}`);
    for (let i = 40; i < 80; i++) assert.equal(count(all, new RegExp(`ROLE:edit-b-${i}\\r\\n`)), 1, `edit-b-${i}`);
    assert.equal(count(all, /UID:new-card@pimhub\.test/), 1);
    const last = s.run(['sync', '--json']).json();
    assert.equal(last.collections[0].writes.length, 0, 'nothing left to write');
    s.cleanup();
  } catch (e) {
    // Kept for a post-mortem: the scenario's folder, store and files.
    throw new Error(`${(e as Error).message}\n(scenario kept in ${s.dir})`, { cause: e });
  }
});
