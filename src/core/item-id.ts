import { v7 } from 'uuid';

/**
 * A new item id: a UUID version 7 (RFC 9562 §5.7), its first 48 bits the time in ms and the
 * rest counting within the millisecond (uuid's monotonic v7), so ids made one after another
 * sort in the order they were made. Why: the store keys items, versions, identity keys and
 * links by item id, and random ids (version 4) scatter every batch of inserts over the whole
 * B-tree; a first sync of 10,000 cards rewrote ~780 MB of SQLite pages for a 94 MB file
 * (docs/performance.md, "Speed round 4"). Ordered ids append at the right edge instead.
 */
export function newItemId(): string {
  return v7();
}
