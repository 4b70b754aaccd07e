import { MemoryStore } from '../../src/store/memory/memory-store.js';
import { runStoreContract } from './store-contract.js';

runStoreContract('MemoryStore', async () => {
  const store = new MemoryStore();
  await store.init();
  return { store, cleanup: async () => store.close() };
});
