/**
 * The zod that the config's and the connectors' option schemas are written with: `zod/mini`,
 * whose schemas are plain objects checked by functions, where classic zod gives each schema
 * dozens of methods. Building ours and loading the library cost a start far less that way
 * (docs/performance.md, "Speed round 5"). Classic zod sets its English messages itself; mini
 * does not, so they are set here, before any schema runs.
 */
import { config, type ZodMiniType } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// Made on the first problem: a valid config never needs a message (~6 ms of a start otherwise).
let english: ReturnType<typeof en>['localeError'] | undefined;
config({ localeError: (issue) => (english ??= en().localeError)(issue) });

// Named re-exports, imported as a namespace (`import * as z`), so the bundle keeps only the functions used.
export * from 'zod/mini';
/** Any of these schemas. */
export type Schema = ZodMiniType;
export type { $ZodIssue as Issue, $RefinementCtx as RefinementCtx } from 'zod/v4/core';
