import { PimError } from '../../src/core/errors.js';
import type { DavOptions } from './options.js';

/**
 * The Authorization header, built when a request is sent: the secret is read from the
 * environment at use time and kept nowhere else. A missing variable is a config error
 * naming the variable (its value is never printed, nor is any credential).
 */
export function authorizationOf(name: string, o: DavOptions): () => string | undefined {
  const env = (key: 'passwordEnv' | 'bearerTokenEnv', variable: string): string => {
    const v = process.env[variable];
    if (v === undefined || v === '') {
      throw new PimError('config', `connectors.${name}.${key}: the environment variable ${variable} is not set`, { where: `connectors.${name}.${key}` });
    }
    return v;
  };
  return () => {
    if (o.bearerTokenEnv !== undefined) return `Bearer ${env('bearerTokenEnv', o.bearerTokenEnv)}`;
    if (o.username === undefined) return undefined;
    const password = o.passwordEnv === undefined ? '' : env('passwordEnv', o.passwordEnv);
    return `Basic ${Buffer.from(`${o.username}:${password}`, 'utf8').toString('base64')}`;
  };
}
