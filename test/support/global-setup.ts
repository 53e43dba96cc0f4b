import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { type Database, openEmbedded, openPostgres } from '../../src/db/database.js';
import { createJobQueue } from '../../src/events/jobs.js';
import { adminQuery, databaseUrl, postgresUrl, templateName } from './databases.js';

/** Migrates the database and installs the job queue's tables, as the server's start does. */
async function prepare(database: Database, close = true) {
  await database.migrate();
  const jobs = createJobQueue(database.jobDatabase);
  await jobs.start();
  await jobs.stop();
  if (close) await database.close();
}

/** Prepares one database that every test file copies (see databases.ts). */
export default async function setup(project: TestProject) {
  if (postgresUrl) {
    const template = templateName();
    await adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE "${template}"`);
    await prepare(await openPostgres(databaseUrl(postgresUrl, template), 1));
    return async () => adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  }
  const pglite = await PGlite.create();
  await prepare(await openEmbedded(pglite), false);
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const dir = await mkdtemp(join(tmpdir(), 'tiebridge-test-'));
  const file = join(dir, 'migrated.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteDump', file);
  return async () => rm(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
  }
}
