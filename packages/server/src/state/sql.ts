import type { Migration, StateDialect } from './types.js';

/** The SQL text of a migration for one dialect. */
export function migrationSql(m: Migration, dialect: StateDialect): string {
  return typeof m.up === 'string' ? m.up : m.up[dialect];
}

/** Splits a script into statements on `;` at line ends (migrations keep one statement per `;`). */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Rewrites `$n` placeholders to SQLite's `?` and returns the parameter order they need. */
export function toSqlitePlaceholders(sql: string): { sql: string; order: number[] } {
  const order: number[] = [];
  const out = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    order.push(Number(n) - 1);
    return '?';
  });
  return { sql: out, order };
}

/** Converts a JS value to something better-sqlite3 binds (booleans as 0/1). */
export function sqliteValue(v: unknown): unknown {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === undefined) return null;
  return v;
}
