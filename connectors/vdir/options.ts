import * as z from '../../src/config/zod.js';
import { fileOptionsShape } from '../shared/connector-options.js';

/**
 * `desktop: { type: vdir, path: ~/.local/share/contacts/default }`: vdirsyncer's layout.
 * `fileExtension` overrides `.vcf`/`.ics`; `vcardVersion` is what new and changed cards are written as.
 */
export const optionsSchema = z.strictObject({
  type: z.literal('vdir'),
  ...fileOptionsShape,
  fileExtension: z.optional(z.string().check(z.regex(/^\.?[A-Za-z0-9_-]+$/, 'expected an extension like .vcf'))),
  vcardVersion: z.optional(z.enum(['3.0', '4.0'])),
});
