import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MigrationError, readMigrations } from '../../src/db/migrate.js';
import { emptyDatabase } from '../support/databases.js';
import { describeSchema, rawDatabase } from '../support/raw-database.js';

const run = promisify(execFile);

describe('migrations', () => {
  it('produce exactly the database that prisma/schema.prisma describes (no drift)', async () => {
    // What Prisma's own differ generates for the schema as it stands...
    const { stdout: expectedSql } = await run(process.execPath, [
      'tools/prisma-differ/diff.mjs',
      '--empty',
      'prisma/schema.prisma',
    ]);
    const fromSchema = await rawDatabase();
    const fromMigrations = await rawDatabase();
    try {
      await fromSchema.exec(expectedSql);
      // ...against what the committed migrations build, step by step.
      await fromMigrations.migrate();
      const [expected, actual] = [await describeSchema(fromSchema), await describeSchema(fromMigrations)];
      expect(expected.columns.length).toBeGreaterThan(10);
      expect(actual).toEqual(expected);
    } finally {
      await fromSchema.close();
      await fromMigrations.close();
    }
  }, 120_000);

  it('record themselves in _prisma_migrations as Prisma does, and apply once', async () => {
    const db = await rawDatabase();
    try {
      const local = await readMigrations();
      expect(await db.migrate()).toEqual(local.map((m) => m.name));
      expect(await db.migrate()).toEqual([]);
      const rows = await db.query('SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name');
      expect(rows.map((r) => [r.migration_name, r.checksum, r.applied_steps_count])).toEqual(
        local.map((m) => [m.name, createHash('sha256').update(m.sql).digest('hex'), 1]),
      );
      expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('apply each migration once when two instances migrate the same database at the same time', async () => {
    const { database, drop } = await emptyDatabase();
    try {
      // On PostgreSQL each call takes its own connection and Prisma's advisory lock.
      await Promise.all([database.migrate(), database.migrate()]);
      const rows = await database.prisma.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM "_prisma_migrations"`;
      expect(rows.map((r) => r.migration_name).sort()).toEqual((await readMigrations()).map((m) => m.name));
    } finally {
      await database.close();
      await drop();
    }
  });

  it('roll back a failing migration completely, bookkeeping included', async () => {
    const db = await rawDatabase();
    try {
      const broken = [{ name: '20990101000000_broken', sql: 'CREATE TABLE "Half" (id int); SELECT no_such_function();', checksum: 'x' }];
      await expect(db.migrate(broken)).rejects.toThrow(MigrationError);
      expect(await db.query(`SELECT to_regclass('public."Half"') AS t`)).toEqual([{ t: null }]);
      expect(await db.query('SELECT * FROM "_prisma_migrations"')).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('refuse to run when an applied migration was edited afterwards', async () => {
    const db = await rawDatabase();
    try {
      await db.migrate();
      const edited = (await readMigrations()).map((m, i) => (i === 0 ? { ...m, checksum: 'edited' } : m));
      await expect(db.migrate(edited)).rejects.toThrow(/was changed after it was applied/);
    } finally {
      await db.close();
    }
  });
});
