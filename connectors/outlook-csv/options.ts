import * as z from '../../src/config/zod.js';
import { fileOptionsShape } from '../shared/connector-options.js';

/** `outlook: { type: outlook-csv, path: ./exports/outlook.csv, readOnly?: false }` */
export const optionsSchema = z.strictObject({
  type: z.literal('outlook-csv'),
  ...fileOptionsShape,
});
