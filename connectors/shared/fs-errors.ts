import { PimError, messageOf } from '../../src/core/errors.js';

/** The code of a Node system error (`ENOENT`), or undefined for anything else. */
export function errnoOf(e: unknown): string | undefined {
  if (typeof e === 'object' && e !== null && 'code' in e) {
    const code = (e as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * Translates a file-system error into a PimError at the connector's edge (architecture
 * principle 6): `ENOENT` → not-found, `EACCES`/`EPERM` → access-denied, anything else →
 * io; always with the path in `where`. PimErrors pass through unchanged.
 */
export function fsError(e: unknown, path: string, action: string): PimError {
  if (e instanceof PimError) return e;
  const code = errnoOf(e);
  const what = `cannot ${action} ${path}: ${messageOf(e)}`;
  switch (code) {
    case 'ENOENT':
      return new PimError('not-found', what, { where: path, cause: e });
    case 'EACCES':
    case 'EPERM':
      return new PimError('access-denied', what, { where: path, cause: e });
    default:
      return new PimError('io', what, { where: path, cause: e });
  }
}

/** Runs a file-system call, translating its errors with {@link fsError}. */
export async function fsCall<T>(path: string, action: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw fsError(e, path, action);
  }
}
