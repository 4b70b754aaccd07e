export { decodeGoogleCsv, encodeGoogleCsv, GOOGLE_CSV_CAPABILITIES } from './google-csv.js';
export { decodeOutlookCsv, encodeOutlookCsv, OUTLOOK_CSV_CAPABILITIES, parseOutlookDate } from './outlook-csv.js';
export { decodeCsvText, readCsv } from './rows.js';
