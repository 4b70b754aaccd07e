import * as z from '../../src/config/zod.js';
import { fileOptionsShape } from '../shared/connector-options.js';

/**
 * `phone: { type: vcard-file, path: ./exports/phone.vcf, readOnly: true, version?: '3.0' }`.
 * `version`: what a rewrite writes; default the version of the file's first card, else 3.0.
 */
export const optionsSchema = z.strictObject({
  type: z.literal('vcard-file'),
  ...fileOptionsShape,
  version: z.optional(z.enum(['2.1', '3.0', '4.0'])),
});
