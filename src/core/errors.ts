/**
 * The one error type of pimhub. Libraries' errors are translated into a kind at the
 * edge where they occur (codec, connector, store); `src/cli/errors.ts` is the one place
 * that turns a kind into advice and an exit code.
 */
export type PimErrorKind =
  | 'not-found'
  | 'precondition-failed'
  | 'access-denied'
  | 'invalid-data'
  | 'read-only'
  | 'unsupported'
  | 'io'
  | 'config'
  | 'guard'
  | 'busy';

export interface PimErrorDetails {
  /** File path, href or URL the error is about (never containing credentials). */
  where?: string;
  /** 1-based line (text formats) or row (CSV) where the problem starts. */
  line?: number;
  cause?: unknown;
}

export class PimError extends Error {
  readonly kind: PimErrorKind;
  readonly where?: string;
  readonly line?: number;

  constructor(kind: PimErrorKind, message: string, details: PimErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PimError';
    this.kind = kind;
    this.where = details.where;
    this.line = details.line;
  }
}

export function isPimError(e: unknown, kind?: PimErrorKind): e is PimError {
  return e instanceof PimError && (kind === undefined || e.kind === kind);
}

/** Message of any thrown value, for wrapping libraries' errors. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** Exhaustiveness check for discriminated unions. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
