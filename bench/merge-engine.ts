import { performance } from 'node:perf_hooks';
import { decodeVCards } from '../src/codecs/vcard/index.js';
import { mergeItem } from '../src/merge/merge-item.js';
import { FULL_CAPABILITIES } from '../src/model/capabilities.js';
import type { ContactItem } from '../src/model/item.js';
import { createIdentity } from '../src/normalize/item-identity.js';
import type { BenchContext, BenchFigure } from './figure.js';
import { contacts } from './generate.js';
import { MERGES_PER_SECOND } from './targets.js';

/** Two different edits of a card: a new email on one side, a changed note and title on the other. */
export function edits(c: ContactItem): [ContactItem, ContactItem] {
  const a = structuredClone(c);
  a.card.props.push({ name: 'email', params: { type: ['work'] }, type: 'text', values: [`new.${c.uid}@example.net`] });
  const b = structuredClone(c);
  b.card.props = b.card.props.filter((p) => p.name !== 'note' && p.name !== 'title');
  b.card.props.push({ name: 'note', params: {}, type: 'text', values: ['changed elsewhere'] }, { name: 'title', params: {}, type: 'text', values: ['Chefin'] });
  return [a, b];
}

type Triple = readonly [base: ContactItem, current: ContactItem, incoming: ContactItem];

/**
 * Merges per second of wall time and per CPU-second, median of `runs` after one warm-up
 * run, each run on fresh objects as a sync decodes them: no run merges what an earlier one
 * already handled (any cache kept per object would be measured warm).
 */
function rate(cards: ContactItem[], runs: number, triple: (c: ContactItem) => Triple): { wall: number; cpu: number } {
  const identity = createIdentity('DE');
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let run = 0; run <= runs; run += 1) {
    const triples = structuredClone(cards).map(triple);
    const u0 = process.cpuUsage();
    const t0 = performance.now();
    for (const [base, current, incoming] of triples) {
      mergeItem({
        base, current, incoming, caps: FULL_CAPABILITIES, keyOf: identity.keyOf, policy: { kind: 'newest' },
        incomingSource: { connector: 'b', time: '2024-01-02T00:00:00Z' }, fieldSources: {},
        currentFallback: { connector: 'store', time: '2024-01-01T00:00:00Z' },
      });
    }
    const seconds = (performance.now() - t0) / 1000;
    const u = process.cpuUsage(u0);
    // The first run warms the JIT and the phone-number cache.
    if (run === 0) continue;
    wall.push(triples.length / seconds);
    cpu.push(triples.length / ((u.user + u.system) / 1e6));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return { wall: median(wall), cpu: median(cpu) };
}

/** B6: three-way merges per second on typical contacts, in process (no I/O). */
export const mergeEngine: BenchFigure = {
  id: 'merge',
  async run(ctx: BenchContext): Promise<string> {
    // Always 5,000 cards: in process this is quick, and fewer would measure the JIT warming up.
    const cards = decodeVCards(contacts(5000, 9).map((c) => c.text).join('')).items;
    const both = rate(cards, ctx.runs, (c) => [c, ...edits(c)]);
    // The common case in a sync: the store's version is what the member last agreed (a
    // copy of the base, as the store hands it out), and only the member changed the card.
    const one = rate(cards, ctx.runs, (c) => [c, structuredClone(c), edits(c)[1]]);
    const fmt = (x: number) => Math.round(x).toLocaleString('en');
    ctx.log(`merge: ${fmt(both.wall)} merges/s, ${fmt(both.cpu)} per CPU-second; one side changed: ${fmt(one.wall)}, ${fmt(one.cpu)}`);
    ctx.summary({ id: 'B6', work: 'three-way merges of typical contacts (two disjoint edits), in process, one core', result: `${fmt(both.cpu)} per CPU-second (${fmt(both.wall)}/s wall; one side changed: ${fmt(one.cpu)})`, target: `≥ ${fmt(MERGES_PER_SECOND)}/s`, met: both.cpu >= MERGES_PER_SECOND });
    return [
      '## B6: merge engine alone',
      '',
      `${cards.length.toLocaleString('en')} typical contacts, each merged three-way with two disjoint edits (an email added on one side, note and title changed on the other), in process, each run on freshly decoded objects, after one warm-up run: **${fmt(both.wall)} merges/s** of wall time, ${fmt(both.cpu)} per CPU-second (median of ${ctx.runs}; on a loaded machine the CPU figure is the fairer one). With only the incoming side changed (the current version a copy of the base): ${fmt(one.wall)} merges/s, ${fmt(one.cpu)} per CPU-second.`,
      '',
    ].join('\n');
  },
};
