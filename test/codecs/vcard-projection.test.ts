/**
 * The vCard 2.1 and Android projections (src/codecs/vcard/project.ts) are computed on the
 * model; here they are checked against what they stand for: the card actually written in
 * that version and read back. Random cards (with awkward parameters, types, sub-values,
 * groups, photos, Android rows) and every card of the fixture corpus must project exactly
 * to what the write-and-read gives. The few things a version writes but does not read back
 * as written are tested on their own: the projection says the version does not hold them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Component, Property } from '../../src/model/property.js';
import { heldPart } from '../../src/model/capabilities.js';
import { decodeVCards, encodeVCard, VCARD_ANDROID_CAPABILITIES, VCARD_CAPABILITIES, type VCardVersion } from '../../src/codecs/vcard/index.js';
import { projectCard } from '../../src/codecs/vcard/project.js';
import { NO_UID } from '../../src/core/types.js';

const CONFIGS: Array<{ version: VCardVersion; android: boolean }> = [
  { version: '2.1', android: false }, { version: '2.1', android: true }, { version: '3.0', android: false }, { version: '3.0', android: true }, { version: '4.0', android: true },
];
const label = (c: { version: VCardVersion; android: boolean }) => `${c.android ? 'Android ' : ''}${c.version}`;

/** The card written in that version and read back: what the projection must equal. */
function writtenAndRead(card: Component, version: VCardVersion, android: boolean): { card?: Component; problems: number } {
  const r = decodeVCards(encodeVCard({ kind: 'contact', uid: NO_UID, card }, version, android ? { android: true } : {}));
  return { card: r.items[0]?.card, problems: r.problems.length };
}

/** Values 2.1 and 3.0 do not read back as written (see `heldValue` in project.ts). */
const notHeldBefore40 = (p: Property) => p.type === 'time';

// ---- random cards -------------------------------------------------------------------
const pieces = (extra: string[]) => fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 5 }), fc.constantFrom(',', ';', ':', '^', 'ß', 'é', '\\', '\\n', ' ', '東', '=', '🎉', ...extra)), { maxLength: 6 })
  .map((a) => a.join(''));
/** Text as people type it (no control characters). */
const text = pieces([]).map((t) => t.replace(/[\u0000-\u001f\u007f]/g, ''));
/** Parameter text with double quotes and line breaks too. */
const paramText = pieces(['"', '\n', '\r\n', '\n ']);
const multiline = fc.tuple(fc.array(text, { minLength: 1, maxLength: 3 }), fc.constantFrom('\n', '\r\n', '\r')).map(([ls, br]) => ls.join(br));
const typeValue = fc.constantFrom('home', 'WORK', 'cell', 'pref', 'Voice', 'a,b', ' x ', 'ß', 'internet', 'x-custom', 'B', 'BASE64', 'url', 'HOME');
const params = fc
  .tuple(
    fc.option(fc.array(typeValue, { maxLength: 3 }), { nil: undefined }),
    fc.option(fc.constantFrom('1', '2', '100'), { nil: undefined }),
    fc.array(fc.tuple(fc.constantFrom('x-param', 'pid', 'label', 'language', 'altid', 'x-service-type', 'sort-as'), fc.oneof(paramText, fc.array(paramText, { maxLength: 3 }))), { maxLength: 2 }),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([types, pref, others, prefFirst, oneType]) => {
    const p: Record<string, string | string[]> = {};
    if (prefFirst && pref) p.pref = pref;
    if (types) p.type = oneType && types.length === 1 ? types[0]! : types;
    for (const [n, v] of others) p[n] = v;
    if (!prefFirst && pref) p.pref = pref;
    return p;
  });
const group = fc.option(fc.constantFrom('item1', 'item2', 'ITEM3'), { nil: undefined });
const property = (name: string, type: string, values: Property['values']): fc.Arbitrary<Property> =>
  fc.tuple(params, group).map(([ps, g]) => ({ name, params: ps, type, values, ...(g ? { group: g } : {}) }));
const component = fc.oneof(text, fc.array(text, { maxLength: 3 }));
const xName = fc.stringMatching(/^x-[a-z][a-z0-9-]{0,6}$/).filter((n) => !['x-ablabel', 'x-abdate', 'x-android-custom'].includes(n));
const propertyArb: fc.Arbitrary<Property[]> = fc.oneof(
  fc.array(component, { minLength: 5, maxLength: 5 }).chain((c) => property('n', 'text', [c])),
  fc.array(component, { minLength: 7, maxLength: 7 }).chain((c) => property('adr', 'text', [c])),
  fc.array(component, { minLength: 2, maxLength: 2 }).chain((c) => property('n', 'text', [c, c])),
  fc.array(text, { minLength: 1, maxLength: 3 }).chain((c) => property('org', 'text', [c])),
  text.chain((v) => property('org', 'text', [v])),
  fc.array(text, { minLength: 1, maxLength: 2 }).chain((v) => property('fn', 'text', v)),
  multiline.chain((v) => property('note', 'text', [v])),
  fc.array(text, { minLength: 1, maxLength: 3 }).chain((v) => property('categories', 'text', v)),
  fc.array(text, { minLength: 1, maxLength: 2 }).chain((v) => property('nickname', 'text', v)),
  text.chain((v) => property('tel', 'text', [v])),
  fc.stringMatching(/^tel:\+?[0-9]{3,8}$/).chain((v) => property('tel', 'uri', [v])),
  fc.emailAddress().chain((v) => property('email', 'text', [v])),
  fc.array(fc.webUrl(), { minLength: 1, maxLength: 3 }).chain((v) => property('url', 'uri', v)),
  fc.tuple(fc.constantFrom('photo', 'logo', 'sound', 'key'), fc.constantFrom('image/jpeg', 'image/png', 'application/octet-stream', '', 'IMAGE/GIF', 'image/svg+xml', 'text/plain'), fc.uint8Array({ maxLength: 40 }))
    .chain(([name, media, bytes]) => property(name, 'uri', [`data:${media};base64,${Buffer.from(bytes).toString('base64')}`])),
  fc.tuple(fc.constantFrom('photo', 'key', 'logo'), fc.constantFrom('data:image/jpeg;charset=x;base64,AAA=', 'data:image/png;base64,AA', 'cid:x@y', 'https://example.org/me.jpg'))
    .chain(([name, v]) => property(name, 'uri', [v])),
  fc.tuple(fc.integer({ min: -90, max: 90 }), fc.integer({ min: -180, max: 180 })).chain(([a, b]) => property('geo', 'uri', [`geo:${a}.5,${b}`])),
  fc.tuple(fc.integer({ min: -90, max: 90 }), fc.integer({ min: 1, max: 500 })).chain(([a, u]) => property('geo', 'uri', [`geo:${a}.25,13.4;u=${u}`])),
  fc.tuple(fc.constantFrom('bday', 'anniversary'), fc.constantFrom(['date', '1980-02-29'], ['date', '--02-29'], ['date-time', '1980-02-29T10:00:00'], ['text', 'circa 1800'], ['date-and-or-time', '1980'], ['date', '1980-02'], ['date-time', '--02-29T10']))
    .chain(([name, [type, v]]) => property(name, type!, [v!])),
  property('rev', 'timestamp', ['2024-01-01T10:00:00Z']),
  fc.tuple(xName, multiline, fc.constantFrom('unknown', 'text')).chain(([n, v, t]) => property(n, t, [v])),
  fc.tuple(xName, fc.constantFrom<[string, Property['values'][number]]>(['uri', 'http://x.org/a'], ['integer', 5], ['boolean', true], ['date', '2020-01-01'], ['float', 1.5], ['utc-offset', '+01:00'], ['unknown', 'a,b;c']))
    .chain(([n, [t, v]]) => property(n, t, [v])),
  fc.constantFrom('individual', 'group', 'org').chain((k) => property('kind', 'text', [k])),
  fc.uuid().chain((u) => property('member', 'uri', [`urn:uuid:${u}`])),
  text.chain((v) => property('related', 'text', [v])),
  fc.webUrl().chain((v) => property('related', 'uri', [v])),
  fc.tuple(fc.constantFrom('1990-05-01', '--05-01', 'x'), fc.constantFrom('_$!<Anniversary>!$_', 'Other', 'Custom', 'anniversary')).map(([d, l]): Property[] => [
    { name: 'x-abdate', params: {}, type: 'unknown', values: [d], group: 'item7' }, { name: 'x-ablabel', params: {}, type: 'unknown', values: [l], group: 'item7' }]),
  text.chain((v) => property('title', 'text', [v])),
  fc.constantFrom('M', 'F', 'O').chain((g) => property('gender', 'text', [[g, '']])),
  fc.constantFrom('en', 'de-DE').chain((g) => property('lang', 'language-tag', [g])),
  fc.constantFrom(['Europe/Berlin', 'text'], ['-05:00', 'utc-offset']).chain(([v, t]) => property('tz', t!, [v!])),
  multiline.chain((v) => property('label', 'text', [v])),
  property('version', 'text', ['4.0']),
  text.chain((v) => property('x-android-custom', 'unknown', [`vnd.android.cursor.item/relation;${v};2;;;;;;;;;;;;;`])),
  fc.constantFrom('group', 'GROUP ').chain((v) => property('x-addressbookserver-kind', 'unknown', [v])),
).map((p) => (Array.isArray(p) ? p : [p]));
const card: fc.Arbitrary<Component> = fc.array(propertyArb, { maxLength: 8 }).map((ps) => ({ name: 'vcard', props: ps.flat(), components: [] }));

for (const cfg of CONFIGS) {
  test(`${label(cfg)}: the projection of a random card is the card written and read back`, () => {
    fc.assert(
      fc.property(card, (c) => {
        if (cfg.version !== '4.0') fc.pre(!c.props.some(notHeldBefore40));
        const back = writtenAndRead(c, cfg.version, cfg.android);
        fc.pre(back.problems === 0);
        assert.deepEqual(projectCard(c, cfg.version, cfg.android), back.card);
      }),
      { numRuns: Number(process.env.FC_RUNS ?? 400) },
    );
  });
}

// ---- the fixture corpus -------------------------------------------------------------
function vcfFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? vcfFiles(p) : p.endsWith('.vcf') ? [p] : [];
  });
}
const root = new URL('../../../', import.meta.url).pathname;

test('every card of the fixture corpus projects to what each version writes and reads back', () => {
  const files = [...vcfFiles(join(root, 'fixtures')), ...vcfFiles(join(root, 'test/codecs/golden/inputs'))];
  let cards = 0;
  for (const f of files) {
    for (const item of decodeVCards(readFileSync(f)).items) {
      cards++;
      for (const cfg of CONFIGS) {
        // A card the version writes so that it does not read back stays as it is.
        const back = writtenAndRead(item.card, cfg.version, cfg.android);
        assert.deepEqual(projectCard(item.card, cfg.version, cfg.android), back.card ?? item.card, `${f}, ${label(cfg)}`);
      }
    }
  }
  assert.ok(cards >= 40, `the corpus has its cards (${cards})`);
});

// ---- what a version writes but does not read back as written ------------------------
const one = (p: Property): Component => ({ name: 'vcard', props: [{ name: 'fn', params: {}, type: 'text', values: ['Ann'] }, p], components: [] });

test('2.1 and 3.0 do not hold a time without a date: left out, so never read as an edit', () => {
  const time: Property = { name: 'bday', params: {}, type: 'time', values: ['T10:00'] };
  for (const cfg of CONFIGS.filter((c) => c.version !== '4.0')) {
    const back = writtenAndRead(one(time), cfg.version, cfg.android).card!.props[1]!;
    assert.notDeepEqual(back, time, `${label(cfg)} reads the time back changed (the reason it is not held)`);
    assert.deepEqual(projectCard(one(time), cfg.version, cfg.android).props.map((q) => q.name), ['fn'], label(cfg));
  }
  // 4.0 holds it.
  assert.deepEqual(projectCard(one(time), '4.0', true).props[1], time);
  // What a format does not hold survives in the store: the held part of the card has it no more, the card itself does.
  const c = one(time);
  for (const caps of [VCARD_CAPABILITIES['2.1'], VCARD_CAPABILITIES['3.0']]) assert.deepEqual(heldPart(c, caps).props.map((q) => q.name), ['fn']);
  assert.equal(c.props[1], time);
});

test('a GEO that is not two numbers (a geo: URI with parameters, words) reads back as written in every version, not as 0;0', () => {
  for (const value of ['geo:52.5,13.4;u=20', 'geo:52.5,13.4;crs=wgs84;u=5', 'near the station']) {
    const p: Property = { name: 'geo', params: {}, type: value.startsWith('geo:') ? 'uri' : 'unknown', values: [value] };
    for (const cfg of CONFIGS) {
      assert.deepEqual(writtenAndRead(one(p), cfg.version, cfg.android).card!.props[1], p, `${label(cfg)}: ${value}`);
      assert.deepEqual(projectCard(one(p), cfg.version, cfg.android).props[1], p, `${label(cfg)} holds ${value}`);
    }
    // As another program writes it in a 3.0 card.
    const read = decodeVCards(`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nGEO:${value}\r\nEND:VCARD\r\n`).items[0]!.card;
    assert.deepEqual(read.props.find((q) => q.name === 'geo'), p);
  }
});

test('a 2.1 parameter with what 2.1 cannot carry (a line break, a quote in a quoted value) is written so that it reads back, as the projection says', () => {
  const cases: Array<[string, string]> = [
    ['Hauptstr. 1\nBerlin', 'Hauptstr. 1, Berlin'], ['Hauptstr. 1\r\n  Berlin\r\n', 'Hauptstr. 1, Berlin'],
    ['say "hi", then', "say 'hi', then"], ['"quoted', "'quoted"], ['O"Brien', 'O"Brien'], ['a "b"\nc', "a 'b', c"],
  ];
  for (const [v, held] of cases) {
    const c = one({ name: 'adr', params: { label: v }, type: 'text', values: [['', '', 'Hauptstr. 1', 'Berlin', '', '', '']] });
    const projected = projectCard(c, '2.1', false);
    assert.equal(projected.props[1]!.params.label, held, JSON.stringify(v));
    const back = writtenAndRead(c, '2.1', false);
    assert.equal(back.problems, 0, `2.1 reads back ${JSON.stringify(v)}`);
    assert.deepEqual(back.card, projected, JSON.stringify(v));
    // as a type too
    const t = one({ name: 'tel', params: { type: [v] }, type: 'text', values: ['+49 30 1'] });
    assert.deepEqual(writtenAndRead(t, '2.1', false).card, projectCard(t, '2.1', false), `TYPE=${JSON.stringify(v)}`);
  }
  // 3.0 and 4.0 carry them (RFC 6868), line breaks as LF.
  const c = one({ name: 'adr', params: { label: 'a\r\nb "c"' }, type: 'text', values: [['', '', 'x', '', '', '', '']] });
  assert.deepEqual(projectCard(c, '4.0', true).props[1]!.params, { label: 'a\nb "c"' });
});

test('what 2.1 makes of parameters: TYPE lower-case, split and each once; PREF=1 after the others; one-element lists as one value', () => {
  const c = one({ name: 'tel', params: { pref: '1', type: ['CELL', 'voice,Home', 'cell'], 'x-a': ['1'], 'x-b': [] }, type: 'text', values: ['+49 30 1'] });
  assert.deepEqual(projectCard(c, '2.1', false).props[1], { name: 'tel', params: { type: ['cell', 'voice', 'home'], 'x-a': '1', pref: '1' }, type: 'text', values: ['+49 30 1'] });
  assert.deepEqual(VCARD_ANDROID_CAPABILITIES['2.1'].project!(c), projectCard(c, '2.1', true));
});
