import { createRequire } from 'node:module';
import * as z from './zod.js';
import { parsePolicy } from '../merge/policy.js';

type Cron = typeof import('node-cron');
let cronLibrary: Cron | undefined;
/**
 * node-cron (a scheduler, ~32 KB to compile and run at start) is loaded when a config names
 * a `schedule` to check, through its CommonJS build; a config without one never loads it
 * (docs/performance.md, "Speed round 4"). The daemon imports it itself.
 */
const cron = (): Cron => (cronLibrary ??= createRequire(import.meta.url)('node-cron') as Cron);

/** The shape of pimhub.yaml (shared/SPEC.md §2). Connector options are checked by each connector's own schema. */

/** A command as a list (`[pass, show, cloud]`); its first output line is the secret. */
export const passwordCommand = z.array(z.string().check(z.minLength(1)), { error: 'expected a command as a list, e.g. [pass, show, pimhub]' })
  .check(z.minLength(1, 'expected a command as a list, e.g. [pass, show, pimhub]'));

const user = z.strictObject({
  passwordEnv: z.optional(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'))),
  passwordCommand: z.optional(passwordCommand),
  passwordHash: z.optional(z.string().check(z.startsWith('scrypt$', 'expected a hash from `pimhub passwd`'))),
}).check(z.refine((u) => [u.passwordEnv, u.passwordCommand, u.passwordHash].filter((x) => x !== undefined).length === 1,
  'expected one of { passwordEnv: NAME }, { passwordCommand: [COMMAND, ARG…] } or { passwordHash: <hash from `pimhub passwd`> }'));

const listen = z.string().check(z.regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:5233'));

export const serverSchema = z.strictObject({
  listen: z._default(listen, '127.0.0.1:5233'),
  users: z._default(z.record(z.string().check(z.regex(/^[A-Za-z0-9._@-]+$/, 'user names may hold letters, digits and . _ @ -')), user), {}),
  tls: z.optional(z.strictObject({ cert: z.string(), key: z.string() })),
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: z._default(z.number().check(z.int(), z.positive()), 10 * 1024 * 1024),
  /** Seconds to receive the headers, the whole request, and to keep an idle connection (src/server/http-limits.ts). */
  timeouts: z.optional(z.strictObject({
    headers: z.optional(z.number().check(z.positive(), z.maximum(3600))),
    request: z.optional(z.number().check(z.positive(), z.maximum(3600))),
    keepAlive: z.optional(z.number().check(z.positive(), z.maximum(3600))),
  })),
});

const member = z.string().check(z.regex(/^[A-Za-z0-9_-]+(\/.+)?$/, 'expected a connector name, or connector/remote-collection'));

export const collectionSchema = z.strictObject({
  kind: z.enum(['contacts', 'calendar'], { error: 'expected contacts or calendar' }),
  members: z.array(member).check(z.minLength(1, 'a collection needs at least one member')),
  owner: z.optional(z.string()),
  displayName: z.optional(z.string()),
  color: z.optional(z.string()),
  description: z.optional(z.string()),
});

export const configSchema = z.strictObject({
  store: z._default(z.string().check(z.regex(/^(sqlite:.+|mongodb(\+srv)?:\/\/.+|memory:)$/, 'expected sqlite:PATH or mongodb://host:27017/db')), 'sqlite:./pimhub.db'),
  schedule: z._default(z.string().check(z.refine((s) => cron().validate(s), 'expected a cron expression like "*/15 * * * *"')), '*/15 * * * *'),
  defaultRegion: z._default(z.string().check(z.regex(/^[A-Z]{2}$/, 'expected a two-letter country code like DE')), 'DE'),
  conflict: z._default(z.string().check(z.refine((s) => parsePolicy(s) !== undefined, 'expected newest, store or prefer:<connector>[,<connector>...]')), 'newest'),
  deleteGuard: z._default(z.number().check(z.gt(0, 'expected a share between 0 and 1'), z.maximum(1, 'expected a share between 0 and 1')), 0.5),
  server: z._default(serverSchema, { listen: '127.0.0.1:5233', users: {}, maxBodyBytes: 10 * 1024 * 1024 }),
  connectors: z._default(z.record(z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'connector names may hold letters, digits, _ and -')), z.looseObject({ type: z.string() })), {}),
  collections: z._default(z.record(z.string().check(z.regex(/^[A-Za-z0-9_-]+$/, 'collection names may hold letters, digits, _ and -')), collectionSchema), {}),
});

export type RawConfig = z.infer<typeof configSchema>;
