import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';
import type { JobDatabase } from '../events/jobs.js';
import { type MigrationTarget, migrate } from './migrate.js';

export type Db = PrismaClient;

/**
 * One database the app runs on: the Prisma client plus what the server needs around it
 * (readiness probe, migrations, shutdown). Either the embedded PGlite or PostgreSQL.
 */
export type Database = {
  kind: 'embedded' | 'postgres';
  prisma: Db;
  /** How the job queue reaches the same database. */
  jobDatabase: JobDatabase;
  ping(): Promise<void>;
  migrate(): Promise<void>;
  close(): Promise<void>;
};

export type PrismaOptions = {
  /** Observe every SQL statement Prisma sends (tests count them), with its parameters as
   * Prisma logs them (a JSON array). */
  onQuery?: (sql: string, params: string) => void;
};

function prismaClient(adapter: PrismaPg | PrismaPGlite, options: PrismaOptions): Db {
  const { onQuery } = options;
  if (!onQuery) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  client.$on('query', (event) => onQuery(event.query, event.params));
  return client;
}

/** Opens an embedded database, in a data directory or (with an instance) in memory. */
export async function openEmbedded(source: string | PGlite, options: PrismaOptions = {}): Promise<Database> {
  let pglite: PGlite;
  if (typeof source === 'string') {
    await mkdir(source, { recursive: true });
    pglite = await PGlite.create(source);
  } else {
    pglite = source;
  }
  const prisma = prismaClient(new PrismaPGlite(pglite), options);
  // PGlite is one connection owned by this process, so a promise chain is lock enough.
  let migrating: Promise<unknown> = Promise.resolve();
  const target: MigrationTarget = {
    exec: async (sql) => void (await pglite.exec(sql)),
    query: async (sql, params) => (await pglite.query<Record<string, unknown>>(sql, params)).rows,
    withLock: (work) => {
      const run = migrating.then(work, work);
      migrating = run.catch(() => {});
      return run;
    },
  };
  return {
    kind: 'embedded',
    prisma,
    jobDatabase: { kind: 'embedded', pglite },
    ping: async () => void (await pglite.query('SELECT 1')),
    migrate: async () => void (await migrate(target)),
    close: async () => {
      await prisma.$disconnect();
      if (!pglite.closed) await pglite.close();
    },
  };
}

// Prisma Migrate's own advisory lock key, so that `prisma migrate deploy` and this
// runner exclude each other too.
const MIGRATION_LOCK_KEY = 72707369;

/** At most this many statements are prepared by name on each connection; later new ones
 * run unnamed. PostgreSQL keeps a named statement for the connection's life, and statements
 * with IN lists or multi-row VALUES differ in text by length. */
export const MAX_PREPARED_STATEMENTS = 500;

/**
 * Names each statement after a hash of its text, so that `pg` prepares it once per connection
 * and afterwards sends only its parameters: Prisma's nested reads are several kilobytes of SQL
 * that PostgreSQL would otherwise parse on every request. The connections plan every
 * execution for its own parameters (`plan_cache_mode=force_custom_plan`), as unnamed
 * statements are, so a generic plan never replaces a better one.
 */
export function preparedStatements(url: string): { url: string; names: (query: { sql: string }) => string | undefined } {
  const withOptions = new URL(url);
  const options = withOptions.searchParams.get('options');
  withOptions.searchParams.set('options', [options, '-c plan_cache_mode=force_custom_plan'].filter(Boolean).join(' '));
  const named = new Map<string, string>();
  const names = ({ sql }: { sql: string }) => {
    let name = named.get(sql);
    if (name === undefined && named.size < MAX_PREPARED_STATEMENTS) {
      name = `tb_${createHash('sha1').update(sql).digest('base64url')}`;
      named.set(sql, name);
    }
    return name;
  };
  return { url: withOptions.toString(), names };
}

export type PostgresOptions = PrismaOptions & {
  /** Prepare statements by name (the default); off behind a pooler that cannot keep them,
   * such as PgBouncer in transaction mode. */
  preparedStatements?: boolean;
};

export async function openPostgres(url: string, poolSize: number, options: PostgresOptions = {}): Promise<Database> {
  const prepared = options.preparedStatements === false ? null : preparedStatements(url);
  const adapter = prepared
    ? new PrismaPg({ connectionString: prepared.url, max: poolSize }, { statementNameGenerator: (query) => prepared.names(query) as string }) // pg runs an unnamed query unprepared
    : new PrismaPg({ connectionString: url, max: poolSize });
  const prisma = prismaClient(adapter, options);
  return {
    kind: 'postgres',
    prisma,
    jobDatabase: { kind: 'postgres', url },
    ping: async () => void (await prisma.$queryRaw`SELECT 1`),
    migrate: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await migrate({
          exec: async (sql) => void (await client.query(sql)),
          query: async (sql, params) => (await client.query(sql, params)).rows,
          withLock: async (work) => {
            await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
            try {
              return await work();
            } finally {
              await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
            }
          },
        });
      } finally {
        await client.end();
      }
    },
    close: () => prisma.$disconnect(),
  };
}
