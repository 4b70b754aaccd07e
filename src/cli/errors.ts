import { PimError, assertNever, messageOf, type PimErrorKind } from '../core/errors.js';

/** Exit codes of shared/SPEC.md §3. */
export const EXIT = { ok: 0, itemErrors: 1, usage: 2, guard: 3 } as const;

/** A command line that cannot be carried out as written (a bad option value, a missing argument): exit 2. */
export class UsageError extends Error {
  /** Advice instead of the command's --help (e.g. where to find the names it accepts). */
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}

/** The commands, for advice that fits the one that failed. */
export type CommandName = 'init' | 'check' | 'sync' | 'status' | 'log' | 'resolve' | 'export' | 'serve' | 'daemon' | 'passwd';

/** The one place that turns an error into advice (fitting the command) and an exit code. */
export function describeError(e: unknown, command?: string): { message: string; exitCode: number } {
  if (e instanceof UsageError) {
    return { message: `${e.message}\n  ${e.hint ?? `see \`pimhub ${command ?? ''}${command ? ' ' : ''}--help\``}`, exitCode: EXIT.usage };
  }
  if (!(e instanceof PimError)) {
    return { message: `unexpected error: ${messageOf(e)}`, exitCode: EXIT.itemErrors };
  }
  const where = e.where && !e.message.includes(e.where) ? `${e.where}: ` : '';
  const hint = advice(e.kind, command as CommandName | undefined);
  return { message: `${where}${e.message}${hint ? `\n  ${hint}` : ''}`, exitCode: exitCode(e.kind) };
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

/** Commands that reach the connectors: their not-found and access-denied are about the config's paths, URLs and logins. */
const REACHES_CONNECTORS = new Set<string | undefined>(['check', 'sync', 'daemon', undefined]);

function advice(kind: PimErrorKind, command: CommandName | undefined): string {
  switch (kind) {
    case 'config':
      return command === 'check' ? 'fix what is named above and run `pimhub check` again' : 'fix what is named above, then run `pimhub check`';
    case 'access-denied':
      return REACHES_CONNECTORS.has(command) ? 'check the username, the password (passwordEnv or passwordCommand) and the permissions' : 'check the permissions of the file or folder named above';
    case 'not-found':
      if (command === 'resolve' || command === 'log') return 'list the entries with `pimhub log --conflicts` (or `pimhub log`)';
      if (command === 'export' || command === 'status') return 'see `pimhub status` for the collections';
      return REACHES_CONNECTORS.has(command) ? 'check the path or URL in the config (`pimhub check` tries every connector)' : '';
    case 'busy':
      return 'another pimhub process holds the lock; wait for it to finish, or stop it';
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
