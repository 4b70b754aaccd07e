import type { Response } from 'express';
import ICAL from 'ical.js';
import type { CalendarItem } from '../../model/item.js';
import type { DavContext } from '../context.js';
import { badRequest } from '../dav-error.js';
import { listEntries } from '../names.js';
import type { Resource } from '../resources.js';
import { occurrences, parseUtc, type Range } from './query/time-range.js';
import { child, NS, type XmlNode } from '../../xml/dav-xml.js';

type FbType = 'BUSY' | 'BUSY-TENTATIVE';

/**
 * free-busy-query (RFC 4791 §7.10): the busy time of the calendar's events in the range, as
 * one VFREEBUSY (RFC 5545 §3.6.4) answered 200 text/calendar. Every instance of a VEVENT
 * counts (recurrences expanded) except TRANSP:TRANSPARENT and STATUS:CANCELLED ones;
 * STATUS:TENTATIVE is BUSY-TENTATIVE, the rest BUSY (§7.10 table). Periods are clipped to
 * the range, merged where they touch, and written in UTC.
 */
export async function freeBusy(body: XmlNode, target: Resource & { type: 'collection' }, res: Response, ctx: DavContext): Promise<void> {
  const tr = child(body, NS.caldav, 'time-range');
  const range = { start: parseUtc(tr?.attrs.start), end: parseUtc(tr?.attrs.end) };
  if (range.start === undefined || range.end === undefined) throw badRequest('free-busy-query needs a time-range with start and end as UTC date-times like 20240101T000000Z');
  const busy: Record<FbType, Array<[number, number]>> = { BUSY: [], 'BUSY-TENTATIVE': [] };
  for (const e of await listEntries(ctx.store, target.col)) {
    const item = e.item.item as CalendarItem;
    if (item.compType !== 'vevent') continue;
    for (const o of occurrences(item, range)) {
      if (!o.start || !o.end) continue;
      const transp = String(o.comp.getFirstPropertyValue('transp') ?? '').toUpperCase();
      const status = String(o.comp.getFirstPropertyValue('status') ?? '').toUpperCase();
      if (transp === 'TRANSPARENT' || status === 'CANCELLED') continue;
      const s = Math.max(o.start.toJSDate().getTime(), range.start);
      const end = Math.min(o.end.toJSDate().getTime(), range.end);
      if (end > s) busy[status === 'TENTATIVE' ? 'BUSY-TENTATIVE' : 'BUSY'].push([s, end]);
    }
  }
  res.status(200).type('text/calendar; charset=utf-8').send(vfreebusy(range as Required<Range>, busy, ctx.now()));
}

function merged(periods: Array<[number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const [s, e] of [...periods].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

const utc = (t: number): string => ICAL.Time.fromJSDate(new Date(t), true).toICALString();

function vfreebusy(range: Required<Range>, busy: Record<FbType, Array<[number, number]>>, now: Date): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//pimhub//pimhub//EN', 'BEGIN:VFREEBUSY',
    `DTSTAMP:${utc(now.getTime())}`, `DTSTART:${utc(range.start)}`, `DTEND:${utc(range.end)}`];
  for (const type of ['BUSY', 'BUSY-TENTATIVE'] as const) {
    for (const [s, e] of merged(busy[type])) lines.push(`FREEBUSY;FBTYPE=${type}:${utc(s)}/${utc(e)}`);
  }
  lines.push('END:VFREEBUSY', 'END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}
