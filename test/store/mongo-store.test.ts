import { MongoStore } from '../../src/store/mongodb/mongo-store.js';
import { emptyDatabase, mongoTargets } from './jongodb.js';
import { runStoreContract } from './store-contract.js';

for (const target of mongoTargets()) {
  runStoreContract(`MongoStore (${target.name})`, async () => {
    const url = await target.freshUrl();
    const store = new MongoStore(url);
    await store.init();
    return { store, cleanup: async () => { await store.close(); await emptyDatabase(url); } };
  });
}
