import { randomFillSync } from 'node:crypto';

/** Random bytes drawn in blocks: one call into the OS per 256 ids, not one per id. */
const pool = Buffer.alloc(16 * 256);
let used = pool.length;
let lastMs = 0;
let counter = 0;

/**
 * A new item id: a UUID version 7 (RFC 9562 §5.7), its first 48 bits the time in ms and the
 * next 12 a counter within the millisecond (method 1 of §6.2), so ids made one after another
 * sort in the order they were made. Why: the store keys items, versions, identity keys and
 * links by item id, and random ids (version 4) scatter every batch of inserts over the whole
 * B-tree; a first sync of 10,000 cards rewrote ~780 MB of SQLite pages for a 94 MB file
 * (docs/performance.md, "Speed round 4"). Ordered ids append at the right edge instead.
 */
export function newItemId(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const b = Buffer.from(pool.subarray(used, used + 16));
  used += 16;
  let ms = Date.now();
  if (ms <= lastMs) {
    // Same millisecond (or the clock went back): count on; past 4095, borrow the next millisecond.
    counter += 1;
    if (counter > 0xfff) {
      lastMs += 1;
      counter = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    // A random start leaves room to count (top bit clear) and keeps ids of two processes apart.
    counter = b[6]! & 0x7ff;
  }
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
