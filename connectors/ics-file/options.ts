import * as z from '../../src/config/zod.js';
import { fileOptionsShape } from '../shared/connector-options.js';

/** `agenda: { type: ics-file, path: ./calendar.ics, readOnly?: false }` */
export const optionsSchema = z.strictObject({
  type: z.literal('ics-file'),
  ...fileOptionsShape,
});

export type IcsFileOptions = z.output<typeof optionsSchema>;
