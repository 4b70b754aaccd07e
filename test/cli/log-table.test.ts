import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatLog } from '../../src/cli/commands/log.js';
import { displayWidth, fit, painter, renderTable } from '../../src/cli/table.js';
import { MemoryStore } from '../../src/store/memory/memory-store.js';

test('display width counts CJK as two cells and combining marks as none; fit cuts with an ellipsis', () => {
  assert.equal(displayWidth('山田太郎'), 8);
  assert.equal(displayWidth('Jo\u0308rg'), 4);
  assert.equal(displayWidth('\x1b[31mred\x1b[0m'), 3);
  assert.equal(fit('Jörg Müller-Lüdenscheidt', 10), 'Jörg Müll…');
  assert.equal(displayWidth(fit('山田太郎山田太郎', 7)), 7);
});

test('tables align columns and shrink the flexible ones to the width', () => {
  const rows = [{ a: '1', b: 'a very long name that does not fit' }, { a: '12', b: 'short' }];
  const t = renderTable(rows, [{ title: '#', value: (r) => r.a, align: 'right' }, { title: 'name', value: (r) => r.b, flexible: true }], painter(false), 20);
  assert.equal(t.header, ' #  name');
  assert.equal(t.lines[0], ' 1  a very long nam…');
  assert.equal(t.lines[1], '12  short');
  for (const l of [t.header, ...t.lines]) assert.ok(displayWidth(l) <= 20);
});

test('pimhub log as a table: names, actions in colour on a terminal, fields with the kept value, and the resolve hint', async () => {
  const store = new MemoryStore();
  await store.init();
  const raw = (v: string) => [{ name: 'fn', params: {}, type: 'text', values: [v] }];
  await store.commit({
    log: [
      { run: 'r1', time: '2024-05-01T10:00:00.000Z', collection: 'contacts', uid: 'u1', action: 'created', connector: 'phone' },
      {
        run: 'r1', time: '2024-05-01T11:00:00.000Z', collection: 'contacts', uid: 'u1', action: 'conflict', connector: 'tablet',
        fields: [{
          field: 'fn', path: { component: '', field: 'fn', element: '' }, conflict: true, base: 'Jörg Müller',
          values: [{ connector: 'laptop', value: 'Jörg A', raw: raw('Jörg A') }, { connector: 'tablet', value: 'Jörg B', raw: raw('Jörg B') }],
          chosen: 'Jörg A', chosenIndex: 0,
        }],
      },
    ],
  });
  const entries = await store.listLog({});
  const plain = await formatLog(store, entries, { paint: painter(false), width: 100 });
  assert.match(plain[0]!, /^#\s+time \(UTC\)\s+action\s+collection\s+item\s+from$/);
  assert.match(plain[1]!, /^2\s+2024-05-01 11:00\s+conflict\s+contacts\s+u1\s+tablet$/);
  assert.match(plain.join('\n'), /! fn\s+base "Jörg Müller"\s+\[0\] laptop "Jörg A" ✓\s+\[1\] tablet "Jörg B"/);
  assert.match(plain.join('\n'), /pimhub resolve 2 --keep tablet/);
  assert.ok(!plain.join('').includes('\x1b['), 'no colour codes off a terminal');
  const coloured = await formatLog(store, entries, { paint: painter(true), width: 100 });
  assert.match(coloured.join('\n'), /\x1b\[1;31mconflict/);
  assert.match(coloured.join('\n'), /\x1b\[32mcreated/);
});
