import { MongoStore, type CommitMode } from '../../src/store/mongodb/mongo-store.js';
import { emptyDatabase, mongoTargets } from './jongodb.js';
import { runStoreContract } from './store-contract.js';

// Both commit modes on every server: the mode chosen for the server, and the other one forced.
for (const target of mongoTargets()) {
  for (const commitMode of ['transaction', 'journal'] as CommitMode[]) {
    runStoreContract(`MongoStore (${target.name}, ${commitMode})`, async () => {
      const url = await target.freshUrl();
      const store = new MongoStore(url, { commitMode });
      await store.init();
      return { store, cleanup: async () => { await store.close(); await emptyDatabase(url); } };
    });
  }
}
