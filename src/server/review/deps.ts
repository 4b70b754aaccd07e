/** What the review pages need from the server: the store, config, who is logged in, and hooks. */
import type { PimhubConfig } from '../../config/load-config.js';
import type { Store } from '../../core/store.js';
import type { Identity } from '../../sync/types.js';
import type { Authenticator } from '../auth.js';
import type { WriteEvent } from '../context.js';
import type { CsrfTokens } from './csrf.js';
import type { SyncInfo } from './render-page.js';

export interface ReviewDeps {
  store: Store;
  config: PimhubConfig;
  identity: Identity;
  auth: Authenticator;
  now: () => Date;
  csrf?: CsrfTokens;
  onWrite?: (e: WriteEvent) => void;
  syncInfo?: () => SyncInfo;
}
