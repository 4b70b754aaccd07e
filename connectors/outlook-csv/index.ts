import { decodeOutlookCsv, encodeOutlookCsv, OUTLOOK_CSV_CAPABILITIES } from '../../src/codecs/csv/index.js';
import { csvConnector } from '../shared/csv-format.js';
import { optionsSchema } from './options.js';

export { optionsSchema };

/** Outlook Contacts CSV export: one file of many contacts, rewritten as a whole on flush. */
export const create = csvConnector('outlook-csv', optionsSchema, {
  decode: decodeOutlookCsv, encode: encodeOutlookCsv, capabilities: OUTLOOK_CSV_CAPABILITIES,
});
