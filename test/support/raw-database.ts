import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { migrate, type Migration, type MigrationTarget } from '../../src/db/migrate.js';
import { adminQuery, databaseUrl, postgresUrl, templateName } from './databases.js';

/** An empty database reached without Prisma, for migration tests: PGlite, or a new
 * PostgreSQL database when the suite runs on PostgreSQL. */
export type RawDatabase = MigrationTarget & {
  migrate(migrations?: Migration[]): Promise<string[]>;
  close(): Promise<void>;
};

let counter = 0;

export async function rawDatabase(): Promise<RawDatabase> {
  if (!postgresUrl) {
    const db = await PGlite.create();
    const target: MigrationTarget = {
      exec: async (sql) => void (await db.exec(sql)),
      query: async (sql, params) => (await db.query<Record<string, unknown>>(sql, params)).rows,
      withLock: (work) => work(),
    };
    return { ...target, migrate: (m) => migrate(target, m), close: () => db.close() };
  }
  const name = `${templateName().replace(/_template$/, '')}_${process.pid}_raw_${++counter}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const client = new pg.Client({ connectionString: databaseUrl(postgresUrl, name) });
  await client.connect();
  // One connection used by one test at a time: no lock needed (concurrency is tested
  // through Database.migrate, which takes the real one).
  const target: MigrationTarget = {
    exec: async (sql) => void (await client.query(sql)),
    query: async (sql, params) => (await client.query(sql, params)).rows,
    withLock: (work) => work(),
  };
  return {
    ...target,
    migrate: (m) => migrate(target, m),
    close: async () => {
      await client.end();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** Tables, columns, constraints, indexes and enums of the public schema, comparable. */
export async function describeSchema(db: MigrationTarget) {
  const rows = (sql: string) => db.query(sql).then((r) => r.map((row) => JSON.stringify(row)).sort());
  return {
    columns: await rows(`
      SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default
      FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`),
    constraints: await rows(`
      SELECT t.relname AS table_name, c.conname, c.contype, pg_get_constraintdef(c.oid) AS definition
      FROM pg_constraint c
      JOIN pg_namespace n ON n.oid = c.connamespace
      LEFT JOIN pg_class t ON t.oid = c.conrelid
      WHERE n.nspname = 'public' AND t.relname IS DISTINCT FROM '_prisma_migrations'`),
    indexes: await rows(`
      SELECT tablename, indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`),
    enums: await rows(`
      SELECT t.typname, e.enumlabel FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid`),
  };
}
