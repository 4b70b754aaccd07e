import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { create as createVdir } from '../../connectors/vdir/index.js';
import type { Source } from '../../src/core/connector.js';
import { isPimError } from '../../src/core/errors.js';
import { decodeVCards, VCARD_CAPABILITIES } from '../../src/codecs/vcard/index.js';
import { parsePolicy } from '../../src/merge/policy.js';
import { createIdentity } from '../../src/normalize/item-identity.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { endpointPut } from '../../src/sync/endpoint-write.js';
import { STORE_RACE_RETRIES } from '../../src/sync/store-race.js';
import { syncCollection } from '../../src/sync/sync-collection.js';
import type { MemberInput } from '../../src/sync/types.js';
import { card } from '../dav/seed.js';
import { asHref } from '../../src/core/types.js';

/**
 * A batch commit that loses a race — the endpoint commits a new version of an item the run
 * has merged and staged, between the merge and the commit — starts the collection's run over
 * within the same `pimhub sync` instead of stopping with "busy" (issue 13, point 2). Real
 * vdirs and a real SQLite store; the endpoint's write goes through its own code path.
 */
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = (name: string) => {
  const d = mkdtempSync(join(tmpdir(), `pimhub-race-${name}-`));
  dirs.push(d);
  return d;
};

const identity = createIdentity('DE');
const policy = parsePolicy('newest')!;

async function world() {
  const [a, b] = [tempDir('a'), tempDir('b')];
  writeFileSync(join(a, 'ada.vcf'), card('ada@race.test', ['FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org']));
  writeFileSync(join(b, 'bob.vcf'), card('bob@race.test', ['FN:Bob Babbage', 'N:Babbage;Bob;;;', 'EMAIL:bob@example.org']));
  const store = new SqliteStore(join(tempDir('store'), 'pimhub.db'));
  await store.init();
  const sources = {
    a: await createVdir('a', { type: 'vdir', path: a }, { baseDir: '/' }).source('contacts'),
    b: await createVdir('b', { type: 'vdir', path: b }, { baseDir: '/' }).source('contacts'),
  };
  const sync = (members: MemberInput[]) => syncCollection({
    store, collection: 'contacts', kind: 'contacts', members, policy, deleteGuard: 0.5, allowMassDelete: false,
    dryRun: false, identity, run: `r-${Date.now()}`, now: () => new Date(),
  });
  return { a, b, store, sources, sync };
}

/** An endpoint PUT of Ada with an added field, If-Match the stored version. */
async function endpointEdit(store: SqliteStore, line: string): Promise<void> {
  const stored = await store.getItemByUid('contacts', 'ada@race.test');
  assert.ok(stored);
  const text = card('ada@race.test', ['FN:Ada Lovelace', 'N:Lovelace;Ada;;;', 'EMAIL:ada@example.org', line]);
  const r = await endpointPut({ store, identity, policy, now: () => new Date() }, {
    collection: 'contacts', href: asHref('ada.vcf'), incoming: decodeVCards(text).items[0]!, caps: VCARD_CAPABILITIES['3.0'], target: stored, ifMatched: true,
  });
  assert.equal(r.outcome, 'updated');
}

/** Member b, whose fetches first let the endpoint write Ada (`times` times): after member a's edit of Ada is merged and staged. */
function racingFetches(source: Source, race: () => Promise<void>, times: number): Source & { races: number } {
  const s = Object.create(source) as Source & { races: number };
  s.races = 0;
  s.get = async (hrefs) => {
    if (s.races < times) {
      s.races += 1;
      await race();
    }
    return source.get(hrefs);
  };
  return s;
}

const fileWith = (dir: string, re: RegExp) => readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).find((t) => re.test(t));

test('a sync whose batch commit loses a race with an endpoint write retries within the run and keeps both edits', async () => {
  const w = await world();
  assert.deepEqual((await w.sync([{ name: 'a', source: w.sources.a }, { name: 'b', source: w.sources.b }])).errors, []);
  // Ada edited in a, Bob in b (so b is fetched after a's edit is staged); the endpoint edits Ada meanwhile.
  writeFileSync(join(w.a, 'ada.vcf'), readFileSync(join(w.a, 'ada.vcf'), 'utf8').replace('END:VCARD', 'NOTE:edited in a\r\nEND:VCARD'));
  const bobFile = readdirSync(w.b).find((f) => readFileSync(join(w.b, f), 'utf8').includes('Bob'))!;
  writeFileSync(join(w.b, bobFile), readFileSync(join(w.b, bobFile), 'utf8').replace('END:VCARD', 'ROLE:edited in b\r\nEND:VCARD'));
  const b = racingFetches(w.sources.b, () => endpointEdit(w.store, 'TITLE:edited through the endpoint'), 1);

  const report = await w.sync([{ name: 'a', source: w.sources.a }, { name: 'b', source: b }]);
  assert.equal(b.races, 1, 'the endpoint wrote Ada while the run had her staged');
  assert.deepEqual(report.errors, []);
  const ada = (await w.store.getItemByUid('contacts', 'ada@race.test'))!;
  const text = JSON.stringify(ada.item);
  assert.match(text, /edited in a/, 'the member edit is in the store');
  assert.match(text, /edited through the endpoint/, 'the endpoint edit is in the store');
  for (const dir of [w.a, w.b]) {
    const adaText = fileWith(dir, /Ada/);
    assert.match(adaText ?? '', /NOTE:edited in a/);
    assert.match(adaText ?? '', /TITLE:edited through the endpoint/);
  }
  assert.match(fileWith(w.a, /Bob/) ?? '', /ROLE:edited in b/);
  await w.store.close();
});

test(`a run that keeps losing the race stops after ${STORE_RACE_RETRIES} retries with "busy", and the next run converges`, async () => {
  const w = await world();
  await w.sync([{ name: 'a', source: w.sources.a }, { name: 'b', source: w.sources.b }]);
  writeFileSync(join(w.a, 'ada.vcf'), readFileSync(join(w.a, 'ada.vcf'), 'utf8').replace('END:VCARD', 'NOTE:edited in a\r\nEND:VCARD'));
  const bobFile = readdirSync(w.b).find((f) => readFileSync(join(w.b, f), 'utf8').includes('Bob'))!;
  writeFileSync(join(w.b, bobFile), readFileSync(join(w.b, bobFile), 'utf8').replace('END:VCARD', 'ROLE:edited in b\r\nEND:VCARD'));
  let n = 0;
  const b = racingFetches(w.sources.b, () => endpointEdit(w.store, `TITLE:endpoint edit ${++n}`), Infinity);
  await assert.rejects(w.sync([{ name: 'a', source: w.sources.a }, { name: 'b', source: b }]), (e) => isPimError(e, 'busy') && /store changed while this run was merging/.test(e.message));
  assert.equal(b.races, STORE_RACE_RETRIES + 1, 'one first attempt and the retries');
  const report = await w.sync([{ name: 'a', source: w.sources.a }, { name: 'b', source: w.sources.b }]);
  assert.deepEqual(report.errors, []);
  assert.match(fileWith(w.b, /Ada/) ?? '', /NOTE:edited in a/);
  assert.match(fileWith(w.b, /Ada/) ?? '', new RegExp(`TITLE:endpoint edit ${n}`));
  await w.store.close();
});
