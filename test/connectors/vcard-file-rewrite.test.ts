import assert from 'node:assert/strict';
import { promises as fs, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { contacts } from '../../bench/generate.js';
import { create } from '../../connectors/vcard-file/index.js';
import { vcardFileFormat } from '../../connectors/vcard-file/format.js';
import { isFlushable, isIncremental, isWritable } from '../../src/core/connector.js';
import type { ContactItem } from '../../src/model/item.js';
import { withTempDir } from './temp-files.js';

/**
 * A .vcf is rewritten card by card (connectors/shared/single-file-source.ts `textByEntry`):
 * the file written is the one the whole-file encoding gives, cards that could not be read
 * still follow the others verbatim, and the change token after the rewrite (its sha256
 * taken while writing) is the one a fresh read of the file gives.
 */
const N = 3000;

test('a .vcf rewritten card by card is the whole-file encoding, keeps its unreadable entry, and its token matches a fresh read', async () => {
  const cards = contacts(N, 11);
  const junk = 'NOTE:left outside any card by a broken export\r\n';
  const text = cards.slice(0, 10).map((c) => c.text).join('') + junk + cards.slice(10).map((c) => c.text).join('');
  await withTempDir(async (dir) => {
    const path = join(dir, 'phone.vcf');
    await fs.writeFile(path, text);
    const source = await create('phone', { type: 'vcard-file', path }, { baseDir: dir }).source('contacts');
    assert.ok(isWritable(source) && isFlushable(source) && isIncremental(source));
    const listed = await source.list();
    assert.equal(listed.length, N + 1, 'every card and the unreadable entry');
    const target = listed[42]!;
    const [entry] = (await source.get([target.href])).items;
    assert.ok(entry && entry.item.kind === 'contact');
    await source.update(target.href, target.etag, { ...entry.item, card: { ...entry.item.card, props: [...entry.item.card.props, { name: 'note', params: {}, type: 'text', values: ['moved to Lisbon'] }] } });
    await source.delete(listed[7]!.href, listed[7]!.etag);
    const now = await source.get(listed.filter((_, i) => i !== 7).map((e) => e.href));
    assert.equal(now.problems.length, 1);
    await source.flush();

    // What the whole file encoded at once (the codec's `encode`, then the raw entry) gives.
    const codec = vcardFileFormat(undefined).decode(new TextEncoder().encode(text));
    const whole = codec.appendRaw!(codec.encode(now.items.map((f) => f.item as ContactItem)), [now.problems[0]!.raw!]);
    const written = readFileSync(path, 'utf8');
    assert.equal(written.length, whole!.length);
    assert.ok(written === whole, 'the file written card by card is the whole-file encoding');
    assert.match(written, /NOTE:moved to Lisbon/);
    assert.ok(written.endsWith(junk), 'the unreadable entry follows the cards, verbatim');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temp file left');

    // The token taken while writing is the one a fresh read of the file gives: the next run sees no change.
    const fresh = await create('phone', { type: 'vcard-file', path }, { baseDir: dir }).source('contacts');
    assert.ok(isIncremental(fresh));
    const token = (await fresh.changesSince(undefined))!.token;
    assert.deepEqual(await source.changesSince(token), { changed: [], deleted: [], token });
  });
});
