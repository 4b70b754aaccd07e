import { PimError } from '../../src/core/errors.js';
import { readSecret } from '../../src/core/secrets.js';
import type { DavOptions } from './options.js';

/**
 * The Authorization header, built when a request is sent: the secret is read from the
 * environment (or its command, once per process) at use time and kept nowhere else. A
 * missing variable or a failing command is a config error naming it (its value is never
 * printed, nor is any credential).
 */
export function authorizationOf(name: string, o: DavOptions): () => string | undefined {
  return () => {
    if (o.bearerTokenEnv !== undefined) {
      const v = process.env[o.bearerTokenEnv];
      if (v === undefined || v === '') {
        throw new PimError('config', `connectors.${name}.bearerTokenEnv: the environment variable ${o.bearerTokenEnv} is not set`, { where: `connectors.${name}.bearerTokenEnv` });
      }
      return `Bearer ${v}`;
    }
    if (o.username === undefined) return undefined;
    const password = readSecret(o, `connectors.${name}`) ?? '';
    return `Basic ${Buffer.from(`${o.username}:${password}`, 'utf8').toString('base64')}`;
  };
}
