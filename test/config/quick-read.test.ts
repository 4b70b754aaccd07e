import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { quickRead } from '../../src/config/quick-read.js';
import { ROOT } from '../cli/cli-harness.js';

/*
 * A valid config is read by js-yaml alone (src/config/quick-read.ts), one with a problem by
 * yaml: both must give a config the same value, or a config would mean one thing when valid
 * and be judged on another. Every text js-yaml reads must read the same in yaml, which must
 * not refuse it.
 */
function yamlValue(text: string): { value?: unknown; error?: string } {
  const doc = parseDocument(text);
  return doc.errors.length > 0 ? { error: doc.errors[0]!.code } : { value: doc.toJS() };
}

function assertReadAlike(text: string, what: string): void {
  const quick = quickRead(text);
  if (quick === undefined) return; // left to yaml
  const y = yamlValue(text);
  assert.equal(y.error, undefined, `${what}: js-yaml reads what yaml refuses (${y.error})`);
  assert.deepEqual(JSON.parse(JSON.stringify(quick)), JSON.parse(JSON.stringify(y.value)), what);
  assert.deepEqual(typeof quick, typeof y.value, what);
}

const yamlBlocks = (markdown: string): string[] => [...markdown.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1]!);

test('the example config and every YAML block of the docs read the same in js-yaml and yaml', () => {
  let read = 0;
  const texts: Array<[string, string]> = [['examples/pimhub.yaml', readFileSync(join(ROOT, 'examples', 'pimhub.yaml'), 'utf8')]];
  for (const f of readdirSync(join(ROOT, 'docs')).filter((n) => n.endsWith('.md'))) {
    yamlBlocks(readFileSync(join(ROOT, 'docs', f), 'utf8')).forEach((b, i) => texts.push([`docs/${f} block ${i + 1}`, b]));
  }
  for (const [what, text] of texts) {
    assertReadAlike(text, what);
    if (quickRead(text) !== undefined) read += 1;
  }
  assert.ok(read >= 5, `js-yaml read ${read} of ${texts.length} texts: the quick path is not taken`);
});

test('scalars of every kind read the same in js-yaml and yaml, or are left to yaml', () => {
  const scalars = ['1_000', '017', '0o17', '0x1F', '0b11', '+1', '-0', '.5', '1.', '1e3', '1E-2', '+12e03', '+.inf', '.NaN', 'yes', 'no', 'on', 'off', 'y', 'True', 'TRUE', 'tRue', 'false', '~', 'Null', 'null', '', "''", '2024-01-01', '2024-01-01T10:00:00Z', '12:30', '1:20:30', '0.1_0', '00', '09', '"a\\/b"', '"\\x41\\u00e9\\U0001F600"', "'it''s'", '"é ü ß"', 'a # comment', 'a#b', '"#x"', '[a, b]', '{a: 1}', '[1, 2, ]', '{b: }', '|\n  x\n\n  y\n', '>-\n  x\n  y\n', 'a\n  b', '"a\n  b"', '!!str 12', '!!int "3"', '!!float 1', '!custom x', '!!binary aGk=', '&a x', '<<', 'https://dav.example.org/remote.php/dav/%7Euser/'];
  for (const s of scalars) assertReadAlike(`v: ${s}\nw: 1\n`, JSON.stringify(s));
});

test('documents yaml refuses or reads its own way are never taken by the quick path', () => {
  const documents = [
    'a: 1\na: 2\n', 'a: 1\n---\nb: 2\n', 'a:\n\tb: 1\n', `${'k'.repeat(1100)}: 1\n`, 'a: b: c\n', 'a: "x\n', 'a:\n  - 1\n  -2\n',
    '%YAML 1.1\n---\na: yes\n', '%YAML 1.2\n---\na: yes\n', 'a:\n  b: 1\n c: 2\n', 'a: *nope\n', 'x: &x {p: 1}\ny:\n  <<: *x\n',
    'x: &x 1\ny: *x\n', '\ufeffa: 1\n', 'a: 1\r\nb: [x,\r\n  y]\r\n', '# only a comment\n', '', '---\na: 1\n...\n', '- a\n- b\n', 'just text\n',
    'ä: ö\n', '"a": \'b\'\n', '? a\n: 1\n', 'a: {b: 1,\n  c: 2}\n', 'a: !!str\n', 'a: null\nb:\n', 'a: "\\u0000"\n',
    'null: 1\n', '~: 1\n', 'NULL: 1\n', 'a: {~: 1}\n', '? null\n: 1\n', ': 1\n', '"null": 1\n', 'nulls: 1\n', '1: x\n', 'true: x\n', '0x1F: x\n', '[1]: 2\n',
  ];
  for (const d of documents) assertReadAlike(d, JSON.stringify(d.slice(0, 40)));
  // The differences measured (src/config/quick-read.ts): each is left to yaml.
  for (const d of ['v: !!float 1\n', '%YAML 1.1\n---\na: yes\n', `${'k'.repeat(1100)}: 1\n`, 'v: !custom x\n', 'null: 1\n', 'a:\n  ~: x\n', 'a: [{Null: 1}]\n', '? \n: 1\n']) {
    assert.equal(quickRead(d), undefined, JSON.stringify(d.slice(0, 40)));
  }
});
