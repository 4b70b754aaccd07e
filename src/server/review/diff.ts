import { html, type Html } from './escape.js';

/**
 * Showing a logged value and where it differs from the base. Values are what the merge log
 * recorded "as a person reads it": strings mostly, null when the field was absent, now and
 * then a list or an object (shown as JSON).
 */
export function display(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(', ');
  return JSON.stringify(value);
}

/**
 * The value with the part that differs from `base` marked: the common beginning and end are
 * plain, the middle is a <mark> (a change inside a phone number or a name stands out).
 */
export function marked(value: unknown, base: unknown): Html {
  const v = display(value);
  if (v === undefined) return html`<em class="none">(none)</em>`;
  const b = display(base);
  if (b === undefined || b === v) return html`${v}`;
  let start = 0;
  while (start < v.length && start < b.length && v[start] === b[start]) start += 1;
  let end = 0;
  while (end < v.length - start && end < b.length - start && v[v.length - 1 - end] === b[b.length - 1 - end]) end += 1;
  // Marking single characters inside words reads badly: widen to whole words.
  const word = /[\p{L}\p{N}_]/u;
  while (start > 0 && word.test(v[start - 1]!) && start < v.length && word.test(v[start]!)) start -= 1;
  while (end > 0 && word.test(v[v.length - end]!) && word.test(v[v.length - end - 1] ?? '')) end -= 1;
  const mid = v.slice(start, v.length - end);
  return html`${v.slice(0, start)}${mid ? html`<mark>${mid}</mark>` : ''}${v.slice(v.length - end)}`;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return display(a) === display(b);
}
