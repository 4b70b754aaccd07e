import type Database from 'better-sqlite3';

/** Prepared-statement lookup of the store (cached by SQL text). */
export type StatementCache = (sql: string) => Database.Statement;
