import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFileExclusive, foldersSyncing, isTempName, writeFileAtomic } from '../../connectors/shared/atomic-file.js';
import { fsError } from '../../connectors/shared/fs-errors.js';
import { resolveConfigPath } from '../../connectors/shared/paths.js';
import { readOnly } from '../../connectors/shared/read-only.js';
import { canonicalJson, itemEtag } from '../../connectors/shared/signatures.js';
import { isIncremental, isWritable, type IncrementalSource, type WritableSource } from '../../src/core/connector.js';
import { isPimError } from '../../src/core/errors.js';
import { prop } from '../../src/model/property.js';
import { sampleItem } from './contract-items.js';
import { withTempDir } from './temp-files.js';

test('atomic-file: writeFileAtomic replaces; createFileExclusive refuses an existing file; no temp left', () => withTempDir(async (dir) => {
  const p = join(dir, 'a.txt');
  await writeFileAtomic(p, 'one');
  await writeFileAtomic(p, 'two');
  assert.equal(await fs.readFile(p, 'utf8'), 'two');
  await createFileExclusive(join(dir, 'b.txt'), 'b');
  await assert.rejects(createFileExclusive(p, 'three'), (e: unknown) => isPimError(e, 'precondition-failed') && e.where === p);
  assert.equal(await fs.readFile(p, 'utf8'), 'two');
  assert.deepEqual((await fs.readdir(dir)).sort(), ['a.txt', 'b.txt']);
  await assert.rejects(writeFileAtomic(join(dir, 'no', 'c.txt'), 'c'), (e: unknown) => isPimError(e, 'not-found') && e.where === join(dir, 'no', 'c.txt'));
}));

test('atomic-file: writes side by side in two folders (sharing folder syncs) all land, each with its own bytes, and every one resolves', () => withTempDir(async (dir) => {
  await fs.mkdir(join(dir, 'x'));
  await fs.mkdir(join(dir, 'y'));
  const names = Array.from({ length: 40 }, (_, i) => `card-${i}.vcf`);
  // Waves of writes while earlier folder syncs still run: each must still be waited for and finish.
  for (let wave = 0; wave < 3; wave += 1) {
    await Promise.all(names.flatMap((n, i) => [
      wave === 0 ? createFileExclusive(join(dir, 'x', n), `x ${i} ${wave}`) : writeFileAtomic(join(dir, 'x', n), `x ${i} ${wave}`),
      writeFileAtomic(join(dir, 'y', n), `y ${i} ${wave}`),
    ]));
    for (const [i, n] of names.entries()) {
      assert.equal(await fs.readFile(join(dir, 'x', n), 'utf8'), `x ${i} ${wave}`);
      assert.equal(await fs.readFile(join(dir, 'y', n), 'utf8'), `y ${i} ${wave}`);
    }
  }
  assert.deepEqual((await fs.readdir(join(dir, 'x'))).sort(), [...names].sort(), 'no temp file left');
  assert.equal(foldersSyncing(), 0, 'an idle folder keeps no round of fsyncs in memory');
  await assert.rejects(createFileExclusive(join(dir, 'x', names[0]!), 'again'), (e: unknown) => isPimError(e, 'precondition-failed'));
}));

test('atomic-file: a rewrite keeps the file\'s permission bits; new files follow the umask', () => withTempDir(async (dir) => {
  const mode = async (p: string) => (await fs.stat(p)).mode & 0o777;
  const shared = join(dir, 'shared.vcf');
  await fs.writeFile(shared, 'old');
  await fs.chmod(shared, 0o664);
  await writeFileAtomic(shared, 'new');
  assert.equal(await mode(shared), 0o664);
  const secret = join(dir, 'secret.vcf');
  await fs.writeFile(secret, 'old');
  await fs.chmod(secret, 0o600);
  await writeFileAtomic(secret, 'new');
  assert.equal(await mode(secret), 0o600);
  const old = process.umask(0o022);
  try {
    await writeFileAtomic(join(dir, 'fresh.vcf'), 'x');
    await createFileExclusive(join(dir, 'fresh2.vcf'), 'x');
    assert.equal(await mode(join(dir, 'fresh.vcf')), 0o644);
    assert.equal(await mode(join(dir, 'fresh2.vcf')), 0o644);
  } finally {
    process.umask(old);
  }
}));

test('atomic-file: temp names are hidden from listings', () => {
  assert.ok(isTempName('.a.vcf.1234.tmp'));
  assert.ok(isTempName('x.vcf~'));
  assert.ok(!isTempName('a.vcf'));
});

test('fs-errors: codes become kinds, with the path', () => {
  const e = (code: string) => Object.assign(new Error(code), { code });
  assert.equal(fsError(e('ENOENT'), '/p', 'read').kind, 'not-found');
  assert.equal(fsError(e('EACCES'), '/p', 'read').kind, 'access-denied');
  assert.equal(fsError(e('EIO'), '/p', 'read').kind, 'io');
  assert.equal(fsError(e('EIO'), '/p', 'read').where, '/p');
});

test('paths: ~ is the home folder, relative paths are against the config folder', () => {
  assert.equal(resolveConfigPath('~/c.vcf', '/etc/pimhub'), join(homedir(), 'c.vcf'));
  assert.equal(resolveConfigPath('./x/c.vcf', '/etc/pimhub'), '/etc/pimhub/x/c.vcf');
  assert.equal(resolveConfigPath('/abs/c.vcf', '/etc/pimhub'), '/abs/c.vcf');
});

test('read-only: only the read side, incremental kept', async () => {
  const calls: string[] = [];
  const full: WritableSource & IncrementalSource = {
    id: 'x', kind: 'contacts', capabilities: { format: 'f', holds: () => true },
    list: async () => (calls.push('list'), []),
    get: async () => (calls.push('get'), { items: [], problems: [] }),
    changesSince: async () => (calls.push('changes'), null),
    create: async () => { throw new Error('no'); },
    update: async () => { throw new Error('no'); },
    delete: async () => { throw new Error('no'); },
  };
  const ro = readOnly(full);
  assert.ok(!isWritable(ro) && isIncremental(ro));
  assert.equal(ro.id, 'x');
  await ro.list();
  await ro.get([]);
  if (isIncremental(ro)) await ro.changesSince('t');
  assert.deepEqual(calls, ['list', 'get', 'changes']);
  assert.ok(!isIncremental(readOnly({ ...full, changesSince: undefined } as unknown as WritableSource)));
});

test('signatures: canonical JSON ignores key order; item etags ignore volatile properties', () => {
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] }), canonicalJson({ a: [{ c: 3, d: 2 }], b: 1 }));
  // Etags made from this text are stored in links: its exact form is part of the store's format.
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: 'x"y' }, undefined, null, 'é\n'], u: undefined, z: {} }), '{"a":[{"c":"x\\"y","d":2},,null,"é\\n"],"b":1,"z":{}}');
  const a = sampleItem('contacts', 'u', 'Smith');
  const b = structuredClone(a);
  if (b.kind === 'contact') b.card.props.push(prop('rev', 'timestamp', ['2024-01-01T00:00:00Z']), prop('prodid', 'text', ['x']));
  assert.equal(itemEtag(a), itemEtag(b));
  const c = sampleItem('contacts', 'u', 'Brown');
  assert.notEqual(itemEtag(a), itemEtag(c));
});
