import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isFlushable, isWritable } from '../../src/core/connector.js';
import type { Connector } from '../../src/core/connector.js';
import { runConnectorContract } from './connector-contract.js';
import { sampleItem } from './contract-items.js';
import { singleFileSetup } from './single-file-setup.js';
import { copyFixture, withTempDir } from './temp-files.js';

export interface CsvCase {
  type: 'google-csv' | 'outlook-csv';
  create(name: string, options: unknown, ctx: { baseDir: string }): Connector;
  /** A header naming first name, last name and one email column, in this format. */
  header: string;
  /** Exports under fixtures/ and how many contacts each holds; `problemLines`: rows that are broken. */
  fixtures: Array<{ file: string; contacts: number; problemLines?: number[] }>;
}

/** The contract and the CSV-specific cases, for both CSV flavours (one list, not two copies). */
export function runCsvConnectorTests(c: CsvCase): void {
  runConnectorContract(c.type, singleFileSetup({
    create: c.create, type: c.type, kind: 'contacts', file: 'contacts.csv',
    otherText: `${c.header}\r\nOther,Person,other@example.org\r\n`,
    broken: { text: `${c.header}\r\nGood,Person,good@example.org\r\nBroken,"row\r\n`, line: 3 },
  }), {
    kind: 'contacts',
    skip: {
      'create-existing-uid': 'CSV rows have no UID: hrefs come from names, and a second person of the same name is a new row',
      'unknown-properties': 'CSV has no column for X- properties (the capabilities say so; the store keeps them)',
    },
  });

  test(`${c.type}: hrefs come from names, a second "Jane Smith" gets #2, and a write returns the href a reader sees`, () => withTempDir(async (dir) => {
    const conn = c.create('csv', { type: c.type, path: 'c.csv' }, { baseDir: dir });
    const s = await conn.source('contacts');
    assert.ok(isFlushable(s));
    const a = await s.create(sampleItem('contacts', 'u-1', 'Smith'));
    const b = await s.create(sampleItem('contacts', 'u-2', 'Smith'));
    assert.equal(a.href, 'name:jane smith');
    assert.equal(b.href, 'name:jane smith#2');
    const renamed = await s.update(b.href, b.etag, sampleItem('contacts', 'u-2', 'Brown'));
    assert.equal(renamed.href, 'name:brown jane');
    await s.flush();
    const listed = await (await conn.source('contacts')).list();
    assert.deepEqual(listed.map((e) => e.href).sort(), ['name:brown jane', 'name:jane smith']);
    assert.deepEqual(listed.find((e) => e.href === renamed.href)?.etag, renamed.etag);
    assert.match(await fs.readFile(join(dir, 'c.csv'), 'utf8'), /Brown/);
  }));

  for (const f of c.fixtures) {
    test(`${c.type}: reads ${f.file} read-only${f.problemLines ? ', naming the broken rows' : ''}`, () => withTempDir(async (dir) => {
      const path = await copyFixture(f.file, dir);
      const s = await c.create('csv', { type: c.type, path, readOnly: true }, { baseDir: '/' }).source('contacts');
      assert.ok(!isWritable(s));
      assert.equal(s.capabilities.format, c.type);
      const listed = await s.list();
      const r = await s.get(listed.map((e) => e.href));
      assert.equal(r.items.length, f.contacts);
      assert.ok(r.items.every((i) => i.href.startsWith('name:') && i.item.uid === ''));
      assert.deepEqual(r.problems.map((p) => p.where), (f.problemLines ?? []).map((l) => `${path}:${l}`));
    }));
  }

  test(`${c.type}: a file with a broken row is not rewritten (the row would be lost)`, () => withTempDir(async (dir) => {
    const text = `${c.header}\r\nGood,Person,good@example.org\r\nBroken,"row\r\n`;
    await fs.writeFile(join(dir, 'c.csv'), text);
    const s = await c.create('csv', { type: c.type, path: 'c.csv' }, { baseDir: dir }).source('contacts');
    assert.ok(isFlushable(s));
    await s.create(sampleItem('contacts', 'u-1', 'Smith'));
    await assert.rejects(s.flush(), /line 3/);
    assert.equal(await fs.readFile(join(dir, 'c.csv'), 'utf8'), text);
  }));
}
