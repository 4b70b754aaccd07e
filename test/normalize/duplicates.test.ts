import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVCards } from '../../src/codecs/vcard/index.js';
import { findDuplicates, pairKey, type DuplicateInput } from '../../src/normalize/duplicates.js';
import { plantedBook } from './planted-book.js';
import { asUid } from '../../src/core/types.js';

const opts = { defaultRegion: 'DE' };

function inputs(vcf: string): DuplicateInput[] {
  const r = decodeVCards(vcf);
  assert.equal(r.problems.length, 0, JSON.stringify(r.problems));
  return r.items.map((it, i) => ({ id: `id${i}`, uid: it.uid, item: it }));
}

const vcard = (lines: string[]) => ['BEGIN:VCARD', 'VERSION:3.0', ...lines, 'END:VCARD'].join('\r\n');

test('one person in many spellings is one group; the evidence says why', () => {
  const book = [
    vcard(['UID:a', 'FN:Jörg Müller', 'N:Müller;Jörg;;;', 'EMAIL:joerg.mueller@beispiel-gmbh.de', 'TEL;TYPE=CELL:+49 171 1234567']),
    vcard(['UID:b', 'FN:Müller, Jörg', 'TEL:0171 1234567']),
    vcard(['UID:c', 'FN:JOERG MUELLER', 'EMAIL:Joerg.Mueller@Beispiel-GmbH.de']),
    vcard(['UID:d', 'FN:J. Müller', 'TEL:0171-1234567']),
    vcard(['UID:e', 'FN:Bill Gates', 'EMAIL:bill@example.com']),
    vcard(['UID:f', 'FN:William Gates', 'N:Gates;William;;;', 'ORG:Example', 'EMAIL:bill@example.com']),
    // A household: same landline, other person.
    vcard(['UID:g', 'FN:Anna Müller', 'TEL;TYPE=HOME:+49 228 123456']),
    vcard(['UID:h', 'FN:Jörg Müller', 'N:Müller;Jörg;;;', 'TEL;TYPE=HOME:0228 123456', 'EMAIL:joerg.mueller@beispiel-gmbh.de']),
  ].join('\r\n');
  const items = inputs(book);
  const groups = findDuplicates(items, opts);
  const uids = groups.map((g) => g.items.map((i) => i.uid).sort().join(','));
  assert.deepEqual(uids.sort(), ['a,b,c,d,h', 'e,f']);
  const joerg = groups.find((g) => g.items.some((i) => i.uid === 'a'))!;
  assert.ok(joerg.evidence.includes('same email joerg.mueller@beispiel-gmbh.de'), joerg.evidence.join('; '));
  assert.ok(joerg.evidence.includes('same phone +491711234567'), joerg.evidence.join('; '));
  assert.ok(joerg.evidence.some((e) => e.startsWith('similar name "Jörg Müller" ~ "J. Müller"') || e.startsWith('similar name "J. Müller"')));
  const gates = groups.find((g) => g.items.some((i) => i.uid === 'e'))!;
  // The richer card comes first: `pimhub merge` keeps its UID.
  assert.equal(gates.items[0]!.uid, 'f');
  assert.ok(gates.evidence.some((e) => /name "(Bill|William) Gates" . "(Bill|William) Gates"/.test(e)), gates.evidence.join("; "));
  assert.ok(groups[0]!.score >= groups[1]!.score, 'strongest first');
});

test('two people called Maria García with their own email and phone are not duplicates; the same name at the same organisation is', () => {
  const items = inputs([
    vcard(['UID:m1', 'FN:María García', 'EMAIL:maria.garcia@uni.es', 'TEL:+34 600 111 222']),
    vcard(['UID:m2', 'FN:Maria Garcia', 'EMAIL:mgarcia@banco.es', 'TEL:+34 600 333 444']),
    vcard(['UID:k1', 'FN:Lukas Becker', 'ORG:Nordwind AG', 'EMAIL:lukas@nordwind.de']),
    vcard(['UID:k2', 'FN:Becker, Lukas', 'ORG:Nordwind AG']),
    // Colleagues behind one switchboard number.
    vcard(['UID:s1', 'FN:Paul Weber', 'ORG:Nordwind AG', 'TEL;TYPE=WORK:+49 30 1234-0']),
    vcard(['UID:s2', 'FN:Clara Koch', 'ORG:Nordwind AG', 'TEL;TYPE=WORK:+49 30 1234-0']),
  ].join('\r\n'));
  const groups = findDuplicates(items, opts);
  assert.deepEqual(groups.map((g) => g.items.map((i) => i.uid).sort().join(',')), ['k1,k2']);
  assert.ok(groups[0]!.evidence.includes('same organisation nordwind ag'));
  // Dismissed pairs are not reported again.
  assert.equal(findDuplicates(items, { ...opts, dismissed: new Set([pairKey(groups[0]!.items[0]!.id, groups[0]!.items[1]!.id)]) }).length, 0);
});

test('a family sharing one email address is not one person; namesakes whose emails differ are not either', () => {
  const items = inputs([
    vcard(['UID:f1', 'FN:Jörg Schäfer', 'N:Schäfer;Jörg;;;', 'EMAIL:familie.schaefer@web.de', 'TEL;TYPE=CELL:+49 151 1111111']),
    vcard(['UID:f2', 'FN:Anna Schäfer', 'N:Schäfer;Anna;;;', 'EMAIL:familie.schaefer@web.de']),
    vcard(['UID:f3', 'FN:Schaefer, Joerg', 'TEL:(0151) 111 1111']),
    // Two people called Greta Ricci: each with her own email, one also with a phone.
    vcard(['UID:g1', 'FN:Greta Ricci', 'EMAIL:greta.ricci511@web.de', 'TEL:+49 157 9917018']),
    vcard(['UID:g2', 'FN:Greta Ricci', 'ORG:Stadtwerke Bonn', 'EMAIL:greta.ricci243@gmail.com']),
  ].join('\r\n'));
  const groups = findDuplicates(items, opts);
  assert.deepEqual(groups.map((g) => g.items.map((i) => i.uid).sort().join(',')), ['f1,f3']);
});

test('events: the same start and a similar summary', () => {
  const ics = (uid: string, summary: string, start: string) => ({
    id: uid, uid, item: {
      kind: 'calendar' as const, uid: asUid(uid), compType: 'vevent' as const, overrides: [], timezones: [],
      master: { name: 'vevent', components: [], props: [
        { name: 'uid', params: {}, type: 'text', values: [uid] },
        { name: 'summary', params: {}, type: 'text', values: [summary] },
        { name: 'dtstart', params: {}, type: 'date-time', values: [start] },
      ] },
    },
  });
  const groups = findDuplicates([
    ics('e1', 'Team meeting', '2024-01-05T09:00:00'), ics('e2', 'team  Meeting', '2024-01-05T09:00:00'),
    ics('e3', 'Team meeting', '2024-01-12T09:00:00'), ics('e4', 'Dentist', '2024-01-05T09:00:00'),
  ], opts);
  assert.deepEqual(groups.map((g) => g.items.map((i) => i.uid).sort().join(',')), ['e1,e2']);
  assert.ok(groups[0]!.evidence.includes('same start 20240105T090000'));
});

/** Precision and recall over pairs: every pair inside a reported group is a prediction. */
function measure(persons: number, seed: number, threshold = 0.5): { precision: number; recall: number; cards: number; planted: number; ms: number } {
  const book = plantedBook(persons, seed);
  const items = inputs(book.vcf);
  assert.equal(items.length, book.cards);
  const t0 = performance.now();
  const groups = findDuplicates(items, { ...opts, threshold });
  const ms = performance.now() - t0;
  let tp = 0;
  let predicted = 0;
  for (const g of groups) {
    for (let i = 0; i < g.items.length; i++) {
      for (let j = i + 1; j < g.items.length; j++) {
        predicted += 1;
        if (book.truth.has(pairKey(g.items[i]!.uid, g.items[j]!.uid))) tp += 1;
      }
    }
  }
  return { precision: tp / predicted, recall: tp / book.truth.size, cards: book.cards, planted: book.truth.size, ms };
}

// Figures recorded in docs/merge-rules.md. The set is hard on purpose: about 6 % of the
// people have a namesake, households share landlines or one family email, colleagues a
// switchboard. The target of issue 14 (precision ≥ 0.95 at recall ≥ 0.9) holds on every seed.
test('planted duplicates in a generated address book: precision and recall on five seeds, at the default threshold and at 0.55', (t) => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const m = measure(2000, seed);
    t.diagnostic(`seed ${seed}: ${m.cards} cards, ${m.planted} planted pairs, precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}, ${m.ms.toFixed(0)} ms`);
    assert.ok(m.precision >= 0.95, `seed ${seed}: precision ${m.precision}`);
    assert.ok(m.recall >= 0.9, `seed ${seed}: recall ${m.recall}`);
    const strict = measure(2000, seed, 0.55);
    t.diagnostic(`seed ${seed} at 0.55: precision ${strict.precision.toFixed(3)}, recall ${strict.recall.toFixed(3)}`);
    assert.ok(strict.precision >= 0.97, `seed ${seed}: precision ${strict.precision}`);
    assert.ok(strict.recall >= 0.8, `seed ${seed}: recall ${strict.recall}`);
  }
});

test('the planted book holds the hard negatives it claims: shared family emails, shared landlines, switchboards, other phone formats', () => {
  const book = plantedBook(2000, 1);
  const items = inputs(book.vcf);
  const byValue = (prop: 'email' | 'tel') => {
    const m = new Map<string, Set<string>>();
    for (const { item } of items) {
      if (item.kind !== 'contact') continue;
      const n = item.card.props.find((p) => p.name === 'n')?.values[0];
      const given = Array.isArray(n) ? String(n[1]) : '';
      for (const p of item.card.props.filter((q) => q.name === prop)) {
        const v = String(p.values[0]).toLowerCase().replace(/[^0-9a-z@.]/g, '');
        let s = m.get(v);
        if (!s) m.set(v, (s = new Set()));
        s.add(given.toLowerCase());
      }
    }
    return [...m.entries()].filter(([, givens]) => givens.size > 1).map(([v]) => v);
  };
  assert.ok(byValue('email').length >= 20, 'emails shared by people with other given names');
  assert.ok(byValue('tel').length >= 5, 'landlines and switchboards shared by people with other given names');
  assert.match(book.vcf, /TEL;TYPE=CELL:\(0\d{3}\) /);
  assert.match(book.vcf, /TEL;TYPE=CELL:\+49 \(0\)/);
  assert.match(book.vcf, /FN:[^\r,]+, [^\r]+\r\nN:;;;;/, '"Last, First" without N');
});

test('50,000 contacts (set PIMHUB_BENCH=1)', { skip: !process.env.PIMHUB_BENCH }, (t) => {
  const m = measure(42_000, 7);
  t.diagnostic(`${m.cards} cards, ${m.planted} planted pairs: precision ${m.precision.toFixed(3)}, recall ${m.recall.toFixed(3)}, findDuplicates ${m.ms.toFixed(0)} ms`);
  assert.ok(m.cards >= 50_000, `${m.cards} cards`);
});
