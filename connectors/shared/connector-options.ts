import * as z from '../../src/config/zod.js';
import type { Schema } from '../../src/config/zod.js';
import { PimError } from '../../src/core/errors.js';

/** What every connector's `create` gets besides its options. */
export interface ConnectorContext {
  /** The config file's folder: relative paths resolve against it. */
  baseDir: string;
  /** ISO 3166 region for phone numbers without a country code (config `defaultRegion`). */
  defaultRegion?: string;
}

/** Options every file connector has. */
export const fileOptionsShape = {
  path: z.string().check(z.minLength(1, 'expected a file or folder path')),
  readOnly: z.optional(z.boolean()),
};

/**
 * Validates a connector's options with its schema, naming the key path in the error
 * (`connectors.phone.version: …`), so a bad config is refused before anything runs.
 */
export function parseOptions<S extends Schema>(schema: S, name: string, options: unknown): z.output<S> {
  const r = z.safeParse(schema, options);
  if (r.success) return r.data;
  const at = (path: PropertyKey[]) => `connectors.${[name, ...path.map(String)].join('.')}`;
  const msg = r.error.issues
    .flatMap((i) => (i.code === 'unrecognized_keys'
      ? i.keys.map((k) => `${at([...i.path, k])}: unknown key`)
      : [`${at(i.path)}: ${i.message}`]))
    .join('; ');
  throw new PimError('config', msg, { where: `connectors.${name}` });
}

/** Single-collection connectors have no remote part (`phone/x` is a config mistake). */
export function noRemote(name: string, type: string, remote: string | undefined): void {
  if (remote !== undefined) {
    throw new PimError('config', `${name}/${remote}: a ${type} connector holds one collection; use ${name} as the member`, { where: `connectors.${name}` });
  }
}
