import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Applies prisma/migrations the way `prisma migrate deploy` does (same folders, same
 * `_prisma_migrations` bookkeeping, same advisory lock), because Prisma 7's migrate
 * engine is a native binary that cannot be installed offline. Each migration runs in
 * one transaction together with its bookkeeping row, so a failure leaves nothing behind.
 */
export type MigrationTarget = {
  /** Runs SQL that may hold several statements. */
  exec(sql: string): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** Runs `work` while no other process can migrate the same database. */
  withLock<T>(work: () => Promise<T>): Promise<T>;
};

export type Migration = { name: string; sql: string; checksum: string };

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

export async function readMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const BOOKKEEPING_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum"            VARCHAR(64) NOT NULL,
  "finished_at"         TIMESTAMPTZ,
  "migration_name"      VARCHAR(255) NOT NULL,
  "logs"                TEXT,
  "rolled_back_at"      TIMESTAMPTZ,
  "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Applies every pending migration; returns the names it applied. */
export async function migrate(target: MigrationTarget, migrations?: Migration[]): Promise<string[]> {
  const local = migrations ?? (await readMigrations());
  return target.withLock(async () => {
    await target.exec(BOOKKEEPING_TABLE);
    const rows = await target.query(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const applied = new Map(rows.map((r) => [String(r.migration_name), r]));
    for (const row of applied.values()) {
      if (row.finished_at === null) {
        throw new MigrationError(
          `Migration ${String(row.migration_name)} failed earlier and was not resolved; fix the database, then mark it rolled back (prisma migrate resolve).`,
        );
      }
    }
    const done: string[] = [];
    for (const migration of local) {
      const previous = applied.get(migration.name);
      if (previous) {
        if (previous.checksum !== migration.checksum) {
          throw new MigrationError(
            `Migration ${migration.name} was changed after it was applied; add a new migration instead of editing it.`,
          );
        }
        continue;
      }
      await target.exec('BEGIN');
      try {
        await target.exec(migration.sql);
        await target.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), now(), 1)`,
          [randomUUID(), migration.checksum, migration.name],
        );
        await target.exec('COMMIT');
      } catch (error) {
        await target.exec('ROLLBACK');
        throw new MigrationError(`Migration ${migration.name} failed: ${(error as Error).message}`, { cause: error });
      }
      done.push(migration.name);
    }
    return done;
  });
}
