import { PimError } from '../core/errors.js';

/**
 * A batch commit that lost a race: another process (the endpoint, `pimhub merge`) committed
 * a new version of an item this run had merged and staged. Nothing of the batch was applied;
 * the collection's run starts over from a fresh read of the store, which merges the other
 * process's version in, as the next run would. Bounded, so two writers that keep colliding
 * end with the `busy` error instead of looping.
 */
export const STORE_RACE_RETRIES = 3;

export class StoreRaceError extends PimError {
  constructor(collection: string, cause: PimError) {
    super('busy', `collection ${collection}: the store changed while this run was merging (${cause.message}); run sync again`, { cause });
  }
}

export async function retryStoreRace<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 0; ; n += 1) {
    try {
      return await attempt();
    } catch (e) {
      if (!(e instanceof StoreRaceError) || n >= STORE_RACE_RETRIES) throw e;
    }
  }
}
