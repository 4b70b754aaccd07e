import type { Component } from './property.js';
import type { Uid } from '../core/types.js';

/**
 * A canonical item. One contact is one vCard; one calendar item is everything that
 * shares a UID: the master component, its RECURRENCE-ID overrides, and the VTIMEZONEs
 * they reference.
 *
 * Contacts are held with vCard 4.0 semantics whatever version they came in (codecs
 * translate 2.1/3.0 forms such as `ENCODING=b` photos or `TYPE=pref`), without the
 * VERSION property, which encoders write.
 */
export interface ContactItem {
  kind: 'contact';
  /** The vCard UID; '' when the source had none (the connector then supplies an identity). */
  uid: Uid;
  card: Component;
}

export type CalendarComponentType = 'vevent' | 'vtodo' | 'vjournal';

export interface CalendarItem {
  kind: 'calendar';
  uid: Uid;
  compType: CalendarComponentType;
  /** The master component; absent when a source holds only overrides of a series. */
  master?: Component;
  /** RECURRENCE-ID overrides, sorted by their RECURRENCE-ID value. */
  overrides: Component[];
  /** VTIMEZONE components referenced by TZID in master or overrides. */
  timezones: Component[];
}

export type Item = ContactItem | CalendarItem;
