import type { IncrementalSource, Source } from '../../src/core/connector.js';
import { isIncremental } from '../../src/core/connector.js';

/**
 * Exposes only the read side of a source, so `isWritable` is false and the engine never
 * plans writes to it (`readOnly: true` in the config). Incremental reads stay available.
 */
export function readOnly(source: Source): Source {
  const ro: Source = {
    id: source.id,
    kind: source.kind,
    // Read through: a DAV member knows its capabilities once its collection is known.
    get capabilities() {
      return source.capabilities;
    },
    list: () => source.list(),
    get: (hrefs) => source.get(hrefs),
  };
  if (!isIncremental(source)) return ro;
  const inc: IncrementalSource = { ...ro, changesSince: (token) => source.changesSince(token) };
  return inc;
}
