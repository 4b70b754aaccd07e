import { setFlagsFromString } from 'node:v8';

/**
 * A sync's live heap grows with the collection (a link head, a listing entry and report
 * lines per entry), and V8 lets its heap grow to several times what is live before the next
 * full collection when collecting looks cheap: in a first sync of 100,000 contacts, 174 MB
 * live became 600 MB of heap (B5, docs/performance.md "Speed round 4"). Growth is bounded
 * to 30 % over what a full collection left live; V8 reads the setting at each full
 * collection, so setting it once a run starts is enough. Process-wide: it applies to a
 * server in the same process too (not measured there; B5's CPU did not grow with it).
 */
let bounded = false;

export function boundHeapGrowth(): void {
  if (bounded) return;
  bounded = true;
  setFlagsFromString('--heap-growing-percent=30');
}
