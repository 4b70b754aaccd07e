import type { Item } from '../model/item.js';

/** A problem with one entry of an input file: where it is and what is wrong. */
export interface DecodeProblem {
  /** 1-based line (vCard/iCalendar) or CSV row (header is row 1) where the broken entry starts. */
  line: number;
  message: string;
  /** The raw text of the broken entry, kept so quarantine can show and preserve it. */
  raw: string;
}

/** Decoding never throws for one bad entry: good entries and problems come back together. */
export interface DecodeResult<T extends Item = Item> {
  items: T[];
  problems: DecodeProblem[];
}

/** Options for decoders of formats that carry phone numbers without a country. */
export interface DecodeOptions {
  /** ISO 3166 region for phone numbers written without a country code (config `defaultRegion`). */
  defaultRegion?: string;
}
