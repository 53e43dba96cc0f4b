import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, type PrismaOptions, openEmbedded, openPostgres } from '../../src/db/database.js';

/**
 * Fresh, migrated databases for tests. With DATABASE_URL the suite runs on that
 * PostgreSQL server: global setup migrates a template database once and every test
 * app gets a copy of it. Without, it runs on in-memory PGlite instances loaded from a
 * dump of a migrated one.
 */
export const postgresUrl = process.env.DATABASE_URL || null;

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(postgresUrl!, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export const templateName = () => `${new URL(postgresUrl!).pathname.slice(1)}_template`;

let counter = 0;

export type FreshDatabase = {
  database: Database;
  /** Its connection string, when it is a PostgreSQL database. */
  url: string | null;
  /** Another handle on the same database, as a second instance would have: its own
   * connections on PostgreSQL; on PGlite the same in-process database. */
  attach(options?: PrismaOptions): Promise<Database>;
  /** Removes the database (PostgreSQL) once every handle is closed. */
  drop(): Promise<void>;
};

/** A new migrated database. */
export async function freshDatabase(options: PrismaOptions = {}): Promise<FreshDatabase> {
  if (postgresUrl) {
    const name = `${templateName().replace(/_template$/, '')}_${process.pid}_${++counter}`;
    await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${templateName()}"`);
    const url = databaseUrl(postgresUrl, name);
    return {
      database: await openPostgres(url, 5, options),
      url,
      attach: (more = {}) => openPostgres(url, 5, more),
      drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
    };
  }
  const dump = await readFile(inject('pgliteDump'));
  const pglite = await PGlite.create({ loadDataDir: new Blob([dump]) });
  const database = await openEmbedded(pglite, options);
  return {
    database,
    url: null,
    // The first handle owns the PGlite instance; the others leave it open.
    attach: async (more = {}) => {
      const handle = await openEmbedded(pglite, more);
      return { ...handle, close: () => handle.prisma.$disconnect() };
    },
    drop: async () => {},
  };
}

/** A new, empty (unmigrated) database, for migration tests. */
export async function emptyDatabase(): Promise<{ database: Database; url: string | null; drop(): Promise<void> }> {
  if (postgresUrl) {
    const name = `${templateName().replace(/_template$/, '')}_${process.pid}_empty_${++counter}`;
    await adminQuery(`CREATE DATABASE "${name}"`);
    const url = databaseUrl(postgresUrl, name);
    return { database: await openPostgres(url, 5), url, drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  return { database: await openEmbedded(await PGlite.create()), url: null, drop: async () => {} };
}

/** A database for a server process of its own: a fresh migrated PostgreSQL database with
 * DATABASE_URL, else an empty PGlite data directory (the server migrates it). `env`
 * points the server at it, `open` opens it from the test once the server has migrated
 * it, `remove` deletes it. */
export async function serverDatabase(label: string): Promise<{ env: Record<string, string>; open(): Promise<Database>; remove(): Promise<void> }> {
  if (postgresUrl) {
    const fresh = await freshDatabase();
    await fresh.database.close();
    return { env: { DATABASE_URL: fresh.url! }, open: () => openPostgres(fresh.url!, 2), remove: () => fresh.drop() };
  }
  const dir = await mkdtemp(join(tmpdir(), `tiebridge-${label}-`));
  return { env: { PGLITE_DIR: dir, DATABASE_URL: '' }, open: () => openEmbedded(dir), remove: () => rm(dir, { recursive: true, force: true }) };
}
