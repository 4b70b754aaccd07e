import * as z from '../../src/config/zod.js';
import type { RefinementCtx } from '../../src/config/zod.js';

/** An environment variable name: secrets are read from the environment at use time, never from the file. */
const envName = z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name'));

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const shape = {
  url: z.string().check(
    z.refine(isHttpUrl, 'expected an http(s) URL'),
    z.refine((s) => !isHttpUrl(s) || (new URL(s).username === '' && new URL(s).password === ''),
      'credentials do not belong in the URL; use username and passwordEnv or passwordCommand'),
  ),
  username: z.optional(z.string().check(z.minLength(1))),
  passwordEnv: z.optional(envName),
  /** A command whose first output line is the password (vdirsyncer's password.fetch). */
  passwordCommand: z.optional(z.array(z.string().check(z.minLength(1)), { error: 'expected a command as a list, e.g. [pass, show, cloud]' }).check(z.minLength(1, 'expected a command as a list, e.g. [pass, show, cloud]'))),
  bearerTokenEnv: z.optional(envName),
  /** PEM file of the CA that signed a self-hosted server's certificate. */
  caFile: z.optional(z.string().check(z.minLength(1))),
  /** Accepts any TLS certificate: for a test server only, never set by default. */
  insecure: z.optional(z.boolean()),
  timeoutMs: z.optional(z.number().check(z.int(), z.minimum(100), z.maximum(600_000))),
  /** Attempts after the first on 5xx, 429 and dropped connections. */
  retries: z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(10))),
  readOnly: z.optional(z.boolean()),
  /** Requests in flight at once per connector. */
  concurrency: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(32))),
  /** Hrefs per addressbook-multiget / calendar-multiget (Xandikos is slow on big ones). */
  batchSize: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(2000))),
  /** vCard version written to the server: 3.0 unless set, or 4.0 where the server takes only that. */
  vcardVersion: z.optional(z.enum(['3.0', '4.0'])),
};

type Shape = { [K in keyof typeof shape]: z.infer<(typeof shape)[K]> };

/** Checks that need more than one key: a password needs a user; one kind of credential at a time. */
function credentials(o: Partial<Shape>, ctx: RefinementCtx<Partial<Shape>>): void {
  if (o.passwordEnv !== undefined && o.username === undefined) {
    ctx.addIssue({ code: 'custom', path: ['username'], message: 'passwordEnv needs a username' });
  }
  if (o.passwordCommand !== undefined && o.username === undefined) {
    ctx.addIssue({ code: 'custom', path: ['username'], message: 'passwordCommand needs a username' });
  }
  const secrets = (['passwordEnv', 'passwordCommand', 'bearerTokenEnv'] as const).filter((k) => o[k] !== undefined);
  if (secrets.length > 1) {
    ctx.addIssue({ code: 'custom', path: [secrets[1]!], message: `use one of passwordEnv, passwordCommand or bearerTokenEnv, not ${secrets.join(' and ')}` });
  }
}

export const carddavSchema = z.strictObject({ type: z.literal('carddav'), ...shape }).check(z.superRefine(credentials));
export const caldavSchema = z.strictObject({ type: z.literal('caldav'), ...shape }).check(z.superRefine(credentials));
export const davSchema = z.strictObject({ type: z.literal('dav'), ...shape }).check(z.superRefine(credentials));

export type DavType = 'carddav' | 'caldav' | 'dav';
export type DavOptions = Shape & { type: DavType };
