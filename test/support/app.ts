import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import { type App, createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { AppOptions } from '../../src/app.js';
import type { Database } from '../../src/db/database.js';
import { type FreshDatabase, freshDatabase } from './databases.js';

export type Execute = <Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables?: Variables,
  options?: { token?: string | null; headers?: Record<string, string> },
) => Promise<ExecutionResult<Result> & { status: number }>;

export type TestApp = App & {
  /** Runs an operation in-process through Yoga, as a client would over HTTP. */
  execute: Execute;
  /** SQL statements sent since the last reset. */
  statements: string[];
  /** Runs `work` and returns how many SQL statements it sent. */
  countStatements(work: () => Promise<unknown>): Promise<number>;
  /** A second app on the same database, like another instance of the server. */
  anotherInstance(options?: TestAppOptions): Promise<TestApp>;
};

/** An app on a fresh, migrated database (PGlite, or PostgreSQL with DATABASE_URL) and, with
 * REDIS_URL, Redis pub/sub: the same wiring the server uses. */
export type TestAppOptions = Omit<AppOptions, 'database'> & {
  /** Environment variables for this app's configuration (e.g. NODE_ENV: 'production'). */
  env?: Record<string, string>;
};

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const statements: string[] = [];
  const fresh = await freshDatabase({ onQuery: (sql) => statements.push(sql) });
  return wrap(fresh.database, statements, fresh, options, true);
}

async function wrap(
  database: Database,
  statements: string[],
  fresh: FreshDatabase,
  options: TestAppOptions,
  owner: boolean,
): Promise<TestApp> {
  // Behind a (pretend) proxy, each request from a different address unless a test names
  // one: per-address rate limits then only bite where a test means them to.
  const config = loadConfig({ ...process.env, NODE_ENV: 'test', TRUST_PROXY: 'true', ...options.env });
  const app = await createApp(config, { rateLimitPrefix: `test:${randomUUID()}`, ...options, database });
  const execute: Execute = async (document, variables, { token, headers } = {}) => {
    const response = await app.yoga.fetch('http://tiebridge.test/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-forwarded-for': `10.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}.${Math.floor(Math.random() * 255)}`,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return { ...((await response.json()) as ExecutionResult<never>), status: response.status };
  };
  return {
    ...app,
    execute,
    statements,
    async countStatements(work) {
      statements.length = 0;
      await work();
      return statements.length;
    },
    async anotherInstance(more = {}) {
      const own: string[] = [];
      return wrap(await fresh.attach({ onQuery: (sql) => own.push(sql) }), own, fresh, more, false);
    },
    close: async () => {
      await app.close();
      if (owner) await fresh.drop();
    },
  };
}
