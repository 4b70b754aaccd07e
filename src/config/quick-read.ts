import { load } from 'js-yaml';

/**
 * What js-yaml and yaml read differently (test/config/quick-read.test.ts compares them):
 * tags (yaml keeps `!!float 1` text, and only warns of an unknown tag), directives
 * (`%YAML 1.1` makes yaml read `yes` as true), keys over 1,024 characters (yaml refuses),
 * and null keys (below). A text with any of these goes to yaml alone.
 */
const READ_ALIKE = /^[^!%]*$/;
const LONG_LINE = /[^\n]{1024}/;

/**
 * The value of a config text, read by js-yaml (a small single-pass reader: a tenth of
 * yaml's start-up cost), when the text is one both readers read alike; undefined when it is
 * not, or when js-yaml refuses it. A config that fails any check is read again by yaml
 * (load-config.ts), so every message and its line and column come from the reader of record.
 */
export function quickRead(text: string): unknown {
  if (!READ_ALIKE.test(text) || LONG_LINE.test(text)) return undefined;
  let value: unknown;
  try {
    value = load(text);
  } catch {
    return undefined;
  }
  // A null key (`null:`, `~:`, `? `) is the key "null" to js-yaml and "" to yaml; js-yaml
  // gives a quoted "null" key the same text, so any key "null" goes to yaml.
  return hasNullKey(value) ? undefined : value;
}

function hasNullKey(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(hasNullKey);
  if (typeof v !== 'object' || v === null) return false;
  for (const [k, x] of Object.entries(v)) if (k === 'null' || hasNullKey(x)) return true;
  return false;
}
