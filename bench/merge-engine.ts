import { performance } from 'node:perf_hooks';
import { decodeVCards } from '../src/codecs/vcard/index.js';
import { mergeItem } from '../src/merge/merge-item.js';
import { FULL_CAPABILITIES } from '../src/model/capabilities.js';
import type { ContactItem } from '../src/model/item.js';
import { createIdentity } from '../src/normalize/item-identity.js';
import type { BenchContext, BenchFigure } from './figure.js';
import { contacts } from './generate.js';

/** Two different edits of a card: a new email on one side, a changed note and title on the other. */
function edits(c: ContactItem): [ContactItem, ContactItem] {
  const a = structuredClone(c);
  a.card.props.push({ name: 'email', params: { type: ['work'] }, type: 'text', values: [`new.${c.uid}@example.net`] });
  const b = structuredClone(c);
  b.card.props = b.card.props.filter((p) => p.name !== 'note' && p.name !== 'title');
  b.card.props.push({ name: 'note', params: {}, type: 'text', values: ['changed elsewhere'] }, { name: 'title', params: {}, type: 'text', values: ['Chefin'] });
  return [a, b];
}

/** B6: three-way merges per second on typical contacts, in process (no I/O). */
export const mergeEngine: BenchFigure = {
  id: 'merge',
  async run(ctx: BenchContext): Promise<string> {
    const identity = createIdentity('DE');
    // Always 5,000 cards: in process this is quick, and fewer would measure the JIT warming up.
    const cards = decodeVCards(contacts(5000, 9).map((c) => c.text).join('')).items;
    const wall: number[] = [];
    const cpu: number[] = [];
    // One run more than asked, the first not counted: it warms the JIT and the phone-number cache.
    for (let run = 0; run <= ctx.runs; run += 1) {
      // Fresh objects each run, as a sync decodes them: no run merges what an earlier one
      // already handled (and any cache kept per object would be measured warm).
      const pairs = structuredClone(cards).map((c) => [c, ...edits(c)] as const);
      const u0 = process.cpuUsage();
      const t0 = performance.now();
      for (const [base, current, incoming] of pairs) {
        mergeItem({
          base, current, incoming, caps: FULL_CAPABILITIES, keyOf: identity.keyOf, policy: { kind: 'newest' },
          incomingSource: { connector: 'b', time: '2024-01-02T00:00:00Z' }, fieldSources: {},
          currentFallback: { connector: 'store', time: '2024-01-01T00:00:00Z' },
        });
      }
      const seconds = (performance.now() - t0) / 1000;
      const u = process.cpuUsage(u0);
      if (run === 0) continue;
      wall.push(pairs.length / seconds);
      cpu.push(pairs.length / ((u.user + u.system) / 1e6));
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const fmt = (x: number) => Math.round(x).toLocaleString('en');
    ctx.log(`merge: ${fmt(median(wall))} merges/s, ${fmt(median(cpu))} per CPU-second`);
    return [
      '## B6: merge engine alone',
      '',
      `${cards.length.toLocaleString('en')} typical contacts, each merged three-way with two disjoint edits (an email added on one side, note and title changed on the other), in process, each run on freshly decoded objects, after one warm-up run: **${fmt(median(wall))} merges/s** of wall time, ${fmt(median(cpu))} per CPU-second (median of ${ctx.runs}; on a loaded machine the CPU figure is the fairer one).`,
      '',
    ].join('\n');
  },
};
