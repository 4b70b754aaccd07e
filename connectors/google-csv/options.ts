import * as z from '../../src/config/zod.js';
import { fileOptionsShape } from '../shared/connector-options.js';

/** `google: { type: google-csv, path: ./exports/google.csv, readOnly?: false }` */
export const optionsSchema = z.strictObject({
  type: z.literal('google-csv'),
  ...fileOptionsShape,
});
