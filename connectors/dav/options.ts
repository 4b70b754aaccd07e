import { z } from 'zod';

/** An environment variable name: secrets are read from the environment at use time, never from the file. */
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

const shape = {
  url: z.string()
    .refine(isHttpUrl, 'expected an http(s) URL')
    .refine((s) => !isHttpUrl(s) || (new URL(s).username === '' && new URL(s).password === ''),
      'credentials do not belong in the URL; use username and passwordEnv or passwordCommand'),
  username: z.string().min(1).optional(),
  passwordEnv: envName.optional(),
  /** A command whose first output line is the password (vdirsyncer's password.fetch). */
  passwordCommand: z.array(z.string().min(1), { error: 'expected a command as a list, e.g. [pass, show, cloud]' }).min(1, 'expected a command as a list, e.g. [pass, show, cloud]').optional(),
  bearerTokenEnv: envName.optional(),
  /** PEM file of the CA that signed a self-hosted server's certificate. */
  caFile: z.string().min(1).optional(),
  /** Accepts any TLS certificate: for a test server only, never set by default. */
  insecure: z.boolean().optional(),
  timeoutMs: z.number().int().min(100).max(600_000).optional(),
  /** Attempts after the first on 5xx, 429 and dropped connections. */
  retries: z.number().int().min(0).max(10).optional(),
  readOnly: z.boolean().optional(),
  /** Requests in flight at once per connector. */
  concurrency: z.number().int().min(1).max(32).optional(),
  /** Hrefs per addressbook-multiget / calendar-multiget (Xandikos is slow on big ones). */
  batchSize: z.number().int().min(1).max(2000).optional(),
  /** vCard version written to the server: 3.0 unless set, or 4.0 where the server takes only that. */
  vcardVersion: z.enum(['3.0', '4.0']).optional(),
};

type Shape = { [K in keyof typeof shape]: z.infer<(typeof shape)[K]> };

/** Checks that need more than one key: a password needs a user; one kind of credential at a time. */
function credentials(o: Partial<Shape>, ctx: z.RefinementCtx): void {
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

export const carddavSchema = z.strictObject({ type: z.literal('carddav'), ...shape }).superRefine(credentials);
export const caldavSchema = z.strictObject({ type: z.literal('caldav'), ...shape }).superRefine(credentials);
export const davSchema = z.strictObject({ type: z.literal('dav'), ...shape }).superRefine(credentials);

export type DavType = 'carddav' | 'caldav' | 'dav';
export type DavOptions = Shape & { type: DavType };
