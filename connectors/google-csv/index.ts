import { decodeGoogleCsv, encodeGoogleCsv, GOOGLE_CSV_CAPABILITIES } from '../../src/codecs/csv/index.js';
import { csvConnector } from '../shared/csv-format.js';
import { optionsSchema } from './options.js';

export { optionsSchema };

/** Google Contacts CSV export: one file of many contacts, rewritten as a whole on flush. */
export const create = csvConnector('google-csv', optionsSchema, {
  decode: decodeGoogleCsv, encode: encodeGoogleCsv, capabilities: GOOGLE_CSV_CAPABILITIES,
});
