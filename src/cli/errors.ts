import { PimError, assertNever, messageOf, type PimErrorKind } from '../core/errors.js';

/** Exit codes of shared/SPEC.md §3. */
export const EXIT = { ok: 0, itemErrors: 1, usage: 2, guard: 3 } as const;

/** The one place that turns an error kind into advice and an exit code. */
export function describeError(e: unknown): { message: string; exitCode: number } {
  if (!(e instanceof PimError)) {
    return { message: `unexpected error: ${messageOf(e)}`, exitCode: EXIT.itemErrors };
  }
  const where = e.where && !e.message.includes(e.where) ? `${e.where}: ` : '';
  return { message: `${where}${e.message}${advice(e.kind) ? `\n  ${advice(e.kind)}` : ''}`, exitCode: exitCode(e.kind) };
}

function exitCode(kind: PimErrorKind): number {
  switch (kind) {
    case 'config':
      return EXIT.usage;
    case 'guard':
      return EXIT.guard;
    case 'not-found':
    case 'precondition-failed':
    case 'access-denied':
    case 'invalid-data':
    case 'read-only':
    case 'unsupported':
    case 'io':
    case 'busy':
      return EXIT.itemErrors;
    default:
      return assertNever(kind, 'error kind');
  }
}

function advice(kind: PimErrorKind): string {
  switch (kind) {
    case 'config':
      return 'fix the config file and run `pimhub check`';
    case 'access-denied':
      return 'check the credentials (passwordEnv) and the permissions';
    case 'not-found':
      return 'check the path or URL in the config';
    case 'busy':
      return 'another pimhub process holds the lock';
    case 'guard':
    case 'precondition-failed':
    case 'invalid-data':
    case 'read-only':
    case 'unsupported':
    case 'io':
      return '';
    default:
      return assertNever(kind, 'error kind');
  }
}
