import { writeFileSync, renameSync } from 'node:fs';
import { resolve } from 'node:path';
import { GOOGLE_CSV_CAPABILITIES, OUTLOOK_CSV_CAPABILITIES, encodeGoogleCsv, encodeOutlookCsv } from '../../codecs/csv/index.js';
import { encodeICalendar } from '../../codecs/icalendar/index.js';
import { VCARD_CAPABILITIES, encodeVCards } from '../../codecs/vcard/index.js';
import { encodeJCard } from '../../codecs/vcard/jcard.js';
import { encodeXCards } from '../../codecs/vcard/xcard.js';
import { holdsItem, type FormatCapabilities } from '../../model/capabilities.js';
import type { CalendarItem, ContactItem } from '../../model/item.js';
import { openContext } from '../context.js';
import { UsageError } from '../errors.js';
import { createOutput } from '../output.js';
import { assertNever } from '../../core/errors.js';

const FORMATS = ['vcf', 'vcf21', 'vcf4', 'jcard', 'xcard', 'ics', 'google-csv', 'outlook-csv'] as const;
type Format = (typeof FORMATS)[number];

export async function exportCommand(collection: string, opts: { config?: string; format?: string; output?: string; json?: boolean }): Promise<number> {
  const out = createOutput(!!opts.json);
  const format = opts.format as Format | undefined;
  if (!format || !FORMATS.includes(format)) throw new UsageError(`--format: expected one of ${FORMATS.join(', ')}`);
  if (!opts.output) throw new UsageError('-o FILE is required');
  const app = await openContext(opts.config);
  try {
    const col = await app.store.getCollection(collection);
    if (!col) throw new UsageError(`no collection "${collection}"`, 'see `pimhub status` for the collections');
    const items = (await app.store.listItems(collection)).map((s) => s.item);
    const contacts = items.filter((i): i is ContactItem => i.kind === 'contact');
    const events = items.filter((i): i is CalendarItem => i.kind === 'calendar');
    if ((format === 'ics') !== (col.kind === 'calendar')) {
      throw new UsageError(`--format ${format} does not fit the ${col.kind} collection "${collection}"; use ${col.kind === 'calendar' ? 'ics' : 'vcf, vcf21, vcf4, jcard, xcard, google-csv or outlook-csv'}`);
    }
    // Group cards a format has no place for are in it as their members' labels (CATEGORIES).
    const held = (caps: FormatCapabilities) => contacts.filter((c) => holdsItem(caps, c));
    let text: string;
    let written = contacts;
    switch (format) {
      case 'vcf': text = encodeVCards(contacts, '3.0'); break;
      case 'vcf4': text = encodeVCards(contacts, '4.0'); break;
      case 'vcf21': text = encodeVCards((written = held(VCARD_CAPABILITIES['2.1'])), '2.1', { android: true }); break;
      // RFC 7095 §3: several cards are a JSON array of jCards.
      case 'jcard': text = `${JSON.stringify(contacts.map(encodeJCard))}\n`; break;
      case 'xcard': text = `${encodeXCards(contacts)}\n`; break;
      case 'google-csv': text = encodeGoogleCsv((written = held(GOOGLE_CSV_CAPABILITIES))); break;
      case 'outlook-csv': text = encodeOutlookCsv((written = held(OUTLOOK_CSV_CAPABILITIES))); break;
      case 'ics': text = encodeICalendar(events, { calendarProps: [{ name: 'x-wr-calname', params: {}, type: 'text', values: [col.displayName ?? col.name] }] }); break;
      default: return assertNever(format, 'export format');
    }
    const path = resolve(opts.output);
    const tmp = `${path}.pimhub-tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
    const count = col.kind === 'calendar' ? events.length : written.length;
    // Group cards left out are no written items: they are in the file only as their members' labels.
    const skipped = col.kind === 'calendar' ? 0 : contacts.length - written.length;
    if (out.json) out.result({ collection, format, file: path, items: count, skipped });
    else {
      out.line(`wrote ${count} item${count === 1 ? '' : 's'} of ${collection} to ${path} (${format})${skipped ? `; ${skipped} group card${skipped === 1 ? '' : 's'} skipped: ${format} has no place for them, their members carry them as labels` : ''}`);
    }
    return 0;
  } finally {
    await app.close();
  }
}
