import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CalendarItem } from '../../src/model/item.js';
import type { Component, Property } from '../../src/model/property.js';

/** fixtures/calendars, from dist/test/codecs (compiled) or test/codecs. */
export const FIXTURES = fileURLToPath(new URL('../../../fixtures/calendars/', import.meta.url));

export function fixture(name: string): Buffer {
  return readFileSync(FIXTURES + name);
}

export function vdirFiles(): string[] {
  return readdirSync(FIXTURES + 'vdir-personal').filter((n) => n.endsWith('.ics')).sort().map((n) => 'vdir-personal/' + n);
}

export const GOOD_FIXTURES = ['personal.ics', 'tasks.ics', 'journal.ics'];

export function byUid(items: CalendarItem[], uid: string): CalendarItem {
  const it = items.find((i) => i.uid === uid);
  if (!it) throw new Error(`no item ${uid}`);
  return it;
}

export function propOf(c: Component | undefined, name: string): Property {
  const p = c?.props.find((x) => x.name === name);
  if (!p) throw new Error(`no ${name}`);
  return p;
}

/** Physical lines of an encoded text (it must end with CRLF). */
export function physicalLines(text: string): string[] {
  const lines = text.split('\r\n');
  if (lines.pop() !== '') throw new Error('text does not end with CRLF');
  return lines;
}
