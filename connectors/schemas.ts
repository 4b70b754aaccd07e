/**
 * Each connector type's option schema, and nothing else: validating a config needs these,
 * not the connectors' code (DAV client, codecs), so commands that never reach a connector
 * (`pimhub status`, `log`, `runs`…) do not load it. connectors/registry.ts makes the
 * connectors, for the same type names (its test checks both lists agree).
 */
import type { Schema } from '../src/config/zod.js';
import { caldavSchema, carddavSchema, davSchema } from './dav/options.js';
import { optionsSchema as googleCsv } from './google-csv/options.js';
import { optionsSchema as icsFile } from './ics-file/options.js';
import { optionsSchema as outlookCsv } from './outlook-csv/options.js';
import { optionsSchema as vcardFile } from './vcard-file/options.js';
import { optionsSchema as vdir } from './vdir/options.js';

const SCHEMAS: Record<string, Schema> = {
  vdir,
  'vcard-file': vcardFile,
  'ics-file': icsFile,
  'google-csv': googleCsv,
  'outlook-csv': outlookCsv,
  carddav: carddavSchema,
  caldav: caldavSchema,
  dav: davSchema,
};

/** Each type's option schema, for validating the whole config before anything runs. */
export function connectorSchemas(): Record<string, Schema> {
  return { ...SCHEMAS };
}
