import fc from 'fast-check';
import { decodeGoogleCsv, decodeOutlookCsv, encodeGoogleCsv, encodeOutlookCsv } from '../../src/codecs/csv/index.js';
import { decodeICalendar, encodeCalendarItem } from '../../src/codecs/icalendar/index.js';
import type { DecodeResult } from '../../src/codecs/types.js';
import { decodeVCards, encodeVCard } from '../../src/codecs/vcard/index.js';
import { isPimError } from '../../src/core/errors.js';
import { DavError } from '../../src/server/dav-error.js';
import { parsePath } from '../../src/server/paths.js';
import { parseXml } from '../../src/xml/dav-xml.js';
import { fixtureFiles, mutate, MUTATIONS, Rng, type MutateOptions } from './mutate.js';

/**
 * What each fuzz target feeds and what it demands of every input (issue 13, point 3). A check
 * throws `Violation` when the code under test broke its contract: the decoders never throw,
 * every problem names a line, every item they return can be encoded and read back; the XML
 * parser returns a tree or throws a PimError naming the XML body; the path parser returns or
 * throws a 400.
 */
export class Violation extends Error {}

export type TargetName = 'vcard' | 'icalendar' | 'csv' | 'xml' | 'path';

export interface Target {
  /** Generated inputs (deterministic for the seed). */
  inputs(seed: number, count: number, o: MutateOptions): Generator<Buffer>;
  check(input: Buffer): void;
}

function problemsNamePlaces(r: DecodeResult, what: string): void {
  if (!Array.isArray(r.items) || !Array.isArray(r.problems)) throw new Violation(`${what}: no items/problems arrays`);
  for (const p of r.problems) {
    if (!Number.isInteger(p.line) || p.line < 1) throw new Violation(`${what}: a problem without a line: ${JSON.stringify(p).slice(0, 200)}`);
    if (typeof p.message !== 'string' || p.message.trim() === '') throw new Violation(`${what}: a problem without a message (line ${p.line})`);
    if (typeof p.raw !== 'string') throw new Violation(`${what}: a problem without its raw text (line ${p.line})`);
  }
}

function noThrow<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw new Violation(`${what} threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 500));
  }
}

/** Inputs: fast-check text made of the format's own lines, then mutations of the fixtures. */
function* mixed(seed: number, count: number, o: MutateOptions, exts: string[], begin: string, lines: fc.Arbitrary<string>): Generator<Buffer> {
  const files = fixtureFiles(exts);
  const generated = Math.floor(count / 3);
  const docs = fc.sample(fc.array(lines, { maxLength: 40 }).chain((ls) => fc.constantFrom('\r\n', '\n', '\r').map((nl) => ls.join(nl))), { seed, numRuns: generated });
  for (const d of docs) yield Buffer.from(d, 'utf8');
  const rng = new Rng(seed);
  for (let i = generated; i < count; i++) {
    let bytes: Buffer = rng.pick(files).bytes;
    // One to three mutations stacked; 'nest' and 'huge-value' are rarer (they are big).
    for (let k = 1 + rng.int(3); k > 0; k--) {
      let m = rng.pick(MUTATIONS);
      if ((m === 'nest' || m === 'huge-value') && rng.int(o.heavyOneIn) !== 0) m = 'bitflip';
      bytes = mutate(rng, bytes, rng.pick(files).bytes, begin, m, o);
    }
    yield bytes;
  }
  // Each heavy case once, so every run has them.
  for (const m of ['nest', 'huge-value'] as const) yield mutate(rng, files[0]!.bytes, files[0]!.bytes, begin, m, o);
}

const value = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.constantFrom('', '\\', '\\n', '\\,', ';;;', '=0D=0A', '=', '"', 'a=\r\n b', '20240101T000000Z', '19961301', 'data:;base64,@@'));
const param = fc.oneof(fc.constantFrom(';TYPE=HOME', ';TYPE=', ';ENCODING=QUOTED-PRINTABLE', ';ENCODING=b', ';CHARSET=ISO-8859-1', ';CHARSET=nope', ';VALUE=DATE', ';VALUE=uri', ';TZID=Europe/Berlin', ';TZID=', ';X-A="x;y"', ';"', ';=x', ';PREF=1', ';CELL'), fc.string({ maxLength: 8 }).map((s) => `;${s}`));
const propLine = (names: string[]) => fc.tuple(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 6 })), fc.constantFrom('', 'item1.', 'a.b.'), fc.array(param, { maxLength: 3 }), value)
  .map(([n, g, ps, v]) => `${g}${n}${ps.join('')}:${v}`);

const VCARD_PROPS = ['FN', 'N', 'TEL', 'EMAIL', 'ADR', 'ORG', 'NOTE', 'BDAY', 'PHOTO', 'UID', 'REV', 'KIND', 'MEMBER', 'X-ABLabel', 'CATEGORIES', 'URL', 'GEO', 'TZ'];
const ICAL_PROPS = ['SUMMARY', 'DTSTART', 'DTEND', 'DUE', 'RRULE', 'EXDATE', 'RDATE', 'RECURRENCE-ID', 'UID', 'DTSTAMP', 'ATTENDEE', 'DURATION', 'TRIGGER', 'TZOFFSETFROM', 'STATUS', 'SEQUENCE', 'CATEGORIES'];
const vcardLine = fc.oneof(fc.constantFrom('BEGIN:VCARD', 'END:VCARD', 'VERSION:2.1', 'VERSION:3.0', 'VERSION:4.0', 'VERSION:9', 'BEGIN:VCARD', ' folded', '\tfolded'), propLine(VCARD_PROPS));
const icalLine = fc.oneof(fc.constantFrom('BEGIN:VCALENDAR', 'END:VCALENDAR', 'VERSION:2.0', 'BEGIN:VEVENT', 'END:VEVENT', 'BEGIN:VTODO', 'END:VTODO', 'BEGIN:VALARM', 'END:VALARM', 'BEGIN:VTIMEZONE', 'END:VTIMEZONE', 'BEGIN:STANDARD', 'END:STANDARD', 'BEGIN:VJOURNAL', 'END:VJOURNAL', ' folded'), propLine(ICAL_PROPS));
const csvCell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('"', '""', '"a,b"', '"unterminated', 'a\nb', '::: ', ' ::: x', '2024-13-45', '+49 30 1234567', '* My Contacts'));
const csvLine = fc.oneof(fc.constantFrom('Name,Given Name,Family Name,E-mail 1 - Value,Phone 1 - Value,Notes', 'First Name,Last Name,E-mail Address,Mobile Phone,Birthday,Notes'), fc.array(csvCell, { maxLength: 8 }).map((cs) => cs.join(',')));

const XML_CORPUS = [
  '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:displayname/><d:getetag/></d:prop></d:propfind>',
  '<d:propfind xmlns:d="DAV:"><d:allprop/></d:propfind>',
  '<cr:addressbook-multiget xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav"><d:prop><cr:address-data content-type="text/vcard" version="4.0"/></d:prop><d:href>/dav/home/alice/contacts/a.vcf</d:href></cr:addressbook-multiget>',
  '<d:sync-collection xmlns:d="DAV:"><d:sync-token>urn:pimhub:sync:v2:x:1</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>',
  '<c:calendar-query xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav"><d:prop><c:calendar-data/></d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"><c:time-range start="20240101T000000Z" end="20240201T000000Z"/><c:prop-filter name="SUMMARY"><c:text-match collation="i;unicode-casemap" negate-condition="yes">x</c:text-match></c:prop-filter></c:comp-filter></c:comp-filter></c:filter></c:calendar-query>',
  '<d:propertyupdate xmlns:d="DAV:" xmlns:a="http://apple.com/ns/ical/"><d:set><d:prop><d:displayname>Ä &amp; B</d:displayname><a:calendar-color>#ff0000</a:calendar-color></d:prop></d:set><d:remove><d:prop><x:y xmlns:x="urn:x"/></d:prop></d:remove></d:propertyupdate>',
  '<d:mkcol xmlns:d="DAV:" xmlns:cr="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><cr:addressbook/></d:resourcetype><![CDATA[<x>]]><!-- c --></d:prop></d:set></d:mkcol>',
];
const xmlFragment = fc.oneof(fc.constantFrom('<', '>', '</', '/>', '&', '&amp;', '&#0;', '&#x110000;', '&#65;', '<!DOCTYPE x>', '<?x?>', '<![CDATA[', ']]>', '<!--', '-->', 'xmlns:=""', 'xmlns:p=""', '<p:x>', '</p:x>', '="', "'", '\u0000', '\uFFFE', '<a b="1" b="2"/>'), fc.string({ maxLength: 10 }));

function* xmlInputs(seed: number, count: number, o: MutateOptions): Generator<Buffer> {
  const generated = Math.floor(count / 3);
  for (const parts of fc.sample(fc.array(xmlFragment, { maxLength: 30 }), { seed, numRuns: generated })) yield Buffer.from(parts.join(''), 'utf8');
  const rng = new Rng(seed);
  const corpus = XML_CORPUS.map((x) => Buffer.from(x, 'utf8'));
  for (let i = generated; i < count; i++) {
    let bytes: Buffer = rng.pick(corpus);
    for (let k = 1 + rng.int(3); k > 0; k--) {
      let m = rng.pick(MUTATIONS);
      if ((m === 'nest' || m === 'huge-value') && rng.int(o.heavyOneIn) !== 0) m = 'truncate';
      bytes = mutate(rng, bytes, rng.pick(corpus), '<x:n xmlns:x="urn:x">', m, { ...o, hugeBytes: Math.min(o.hugeBytes, 1_000_000) });
    }
    yield bytes;
  }
  yield Buffer.from(`<d:propfind xmlns:d="DAV:">${'<d:prop>'.repeat(o.nestDepth)}${'</d:prop>'.repeat(o.nestDepth)}</d:propfind>`);
}

const segment = fc.oneof(fc.constantFrom('dav', 'home', 'alice', 'principals', 'contacts', '.well-known', 'carddav', '..', '.', '%2e%2e', '%252e', '%2F', '%00', '%', '%zz', '%C0%AE', '%E2%80%AE', '~', '', 'a b', 'x.vcf', '%F0%9F%98%80', '%ED%A0%80'), fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }).map((s) => encodeURIComponent(s)));

function* pathInputs(seed: number, count: number): Generator<Buffer> {
  const paths = fc.sample(fc.tuple(fc.array(segment, { maxLength: 8 }), fc.constantFrom('', '/', '?x=1', '#f', '//')).map(([s, end]) => `/${s.join('/')}${end}`), { seed, numRuns: count });
  for (const p of paths) yield Buffer.from(p, 'utf8');
}

export const TARGETS: Record<TargetName, Target> = {
  vcard: {
    inputs: (seed, count, o) => mixed(seed, count, o, ['.vcf'], 'BEGIN:VCARD', vcardLine),
    check(input) {
      const r = noThrow('decodeVCards', () => decodeVCards(input));
      problemsNamePlaces(r, 'decodeVCards');
      for (const item of r.items) {
        for (const v of ['3.0', '4.0'] as const) {
          const text = noThrow(`encodeVCard ${v}`, () => encodeVCard(item, v));
          const back = noThrow('decodeVCards of an encoded card', () => decodeVCards(text));
          if (back.problems.length > 0 || back.items.length !== 1) throw new Violation(`a card encoded as ${v} does not read back: ${back.problems[0]?.message ?? `${back.items.length} items`}`);
        }
      }
    },
  },
  icalendar: {
    inputs: (seed, count, o) => mixed(seed, count, o, ['.ics'], 'BEGIN:VEVENT', icalLine),
    check(input) {
      const r = noThrow('decodeICalendar', () => decodeICalendar(input));
      problemsNamePlaces(r, 'decodeICalendar');
      for (const item of r.items) {
        const text = noThrow('encodeCalendarItem', () => encodeCalendarItem(item));
        const back = noThrow('decodeICalendar of an encoded item', () => decodeICalendar(text));
        if (back.problems.length > 0 || back.items.length !== 1) throw new Violation(`an encoded item does not read back: ${back.problems[0]?.message ?? `${back.items.length} items`}`);
      }
    },
  },
  csv: {
    inputs: (seed, count, o) => mixed(seed, count, o, ['.csv'], '"', csvLine),
    check(input) {
      const g = noThrow('decodeGoogleCsv', () => decodeGoogleCsv(input));
      problemsNamePlaces(g, 'decodeGoogleCsv');
      noThrow('encodeGoogleCsv', () => encodeGoogleCsv(g.items));
      const o = noThrow('decodeOutlookCsv', () => decodeOutlookCsv(input));
      problemsNamePlaces(o, 'decodeOutlookCsv');
      noThrow('encodeOutlookCsv', () => encodeOutlookCsv(o.items));
    },
  },
  xml: {
    inputs: xmlInputs,
    check(input) {
      try {
        parseXml(input.toString('utf8'));
      } catch (e) {
        if (isPimError(e, 'invalid-data') && e.where === 'XML body') return;
        throw new Violation(`parseXml threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`.slice(0, 500));
      }
    },
  },
  path: {
    inputs: (seed, count) => pathInputs(seed, count),
    check(input) {
      try {
        parsePath(input.toString('utf8'));
      } catch (e) {
        if (e instanceof DavError && e.status === 400) return;
        throw new Violation(`parsePath threw ${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`);
      }
    },
  },
};
