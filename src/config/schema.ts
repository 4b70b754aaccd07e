import { createRequire } from 'node:module';
import { z } from 'zod';
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
export const passwordCommand = z.array(z.string().min(1), { error: 'expected a command as a list, e.g. [pass, show, pimhub]' })
  .min(1, 'expected a command as a list, e.g. [pass, show, pimhub]');

const user = z.strictObject({
  passwordEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').optional(),
  passwordCommand: passwordCommand.optional(),
  passwordHash: z.string().startsWith('scrypt$', 'expected a hash from `pimhub passwd`').optional(),
}).refine((u) => [u.passwordEnv, u.passwordCommand, u.passwordHash].filter((x) => x !== undefined).length === 1,
  'expected one of { passwordEnv: NAME }, { passwordCommand: [COMMAND, ARG…] } or { passwordHash: <hash from `pimhub passwd`> }');

const listen = z.string().regex(/^(\[[0-9a-fA-F:]+\]|[^:\s]+):\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:5233');

export const serverSchema = z.strictObject({
  listen: listen.default('127.0.0.1:5233'),
  users: z.record(z.string().regex(/^[A-Za-z0-9._@-]+$/, 'user names may hold letters, digits and . _ @ -'), user).default({}),
  tls: z.strictObject({ cert: z.string(), key: z.string() }).optional(),
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: z.number().int().positive().default(10 * 1024 * 1024),
  /** Seconds to receive the headers, the whole request, and to keep an idle connection (src/server/http-limits.ts). */
  timeouts: z.strictObject({
    headers: z.number().positive().max(3600).optional(),
    request: z.number().positive().max(3600).optional(),
    keepAlive: z.number().positive().max(3600).optional(),
  }).optional(),
});

const member = z.string().regex(/^[A-Za-z0-9_-]+(\/.+)?$/, 'expected a connector name, or connector/remote-collection');

export const collectionSchema = z.strictObject({
  kind: z.enum(['contacts', 'calendar'], { error: 'expected contacts or calendar' }),
  members: z.array(member).min(1, 'a collection needs at least one member'),
  owner: z.string().optional(),
  displayName: z.string().optional(),
  color: z.string().optional(),
  description: z.string().optional(),
});

export const configSchema = z.strictObject({
  store: z.string().regex(/^(sqlite:.+|mongodb(\+srv)?:\/\/.+|memory:)$/, 'expected sqlite:PATH or mongodb://host:27017/db').default('sqlite:./pimhub.db'),
  schedule: z.string().refine((s) => cron().validate(s), 'expected a cron expression like "*/15 * * * *"').default('*/15 * * * *'),
  defaultRegion: z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter country code like DE').default('DE'),
  conflict: z.string().refine((s) => parsePolicy(s) !== undefined, 'expected newest, store or prefer:<connector>[,<connector>...]').default('newest'),
  deleteGuard: z.number().gt(0, 'expected a share between 0 and 1').max(1, 'expected a share between 0 and 1').default(0.5),
  server: serverSchema.default({ listen: '127.0.0.1:5233', users: {}, maxBodyBytes: 10 * 1024 * 1024 }),
  connectors: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'connector names may hold letters, digits, _ and -'), z.looseObject({ type: z.string() })).default({}),
  collections: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'collection names may hold letters, digits, _ and -'), collectionSchema).default({}),
});

export type RawConfig = z.infer<typeof configSchema>;
