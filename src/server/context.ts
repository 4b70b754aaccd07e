import type { PimhubConfig } from '../config/load-config.js';
import type { Store } from '../core/store.js';
import type { EndpointDeps } from '../sync/endpoint-write.js';
import type { Identity } from '../sync/types.js';
import type { ListingCache } from './listing-cache.js';

/** What a handler gets: the app's dependencies and the logged-in user. */
export interface DavContext {
  store: Store;
  config: PimhubConfig;
  identity: Identity;
  deps: EndpointDeps;
  user: string;
  now: () => Date;
  /** The collections' listings kept between requests (one per server). */
  listings: ListingCache;
  /** The request's User-Agent (a few clients need a tailored status, see report-sync.ts). */
  userAgent: string;
}

/**
 * A change made through this server: a PUT or DELETE of an object, or a decision changed on
 * the review page. `pimhub daemon` answers with a sync soon after (src/schedule/).
 */
export interface WriteEvent {
  source: 'dav' | 'review';
  method: string;
  user: string;
  collection: string;
}
