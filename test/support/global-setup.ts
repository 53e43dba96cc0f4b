import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { TestProject } from 'vitest/node';
import { openEmbedded, openPostgres } from '../../src/db/database.js';
import { adminQuery, databaseUrl, postgresUrl, templateName } from './databases.js';

/** Migrates one database that every test file copies (see databases.ts). */
export default async function setup(project: TestProject) {
  if (postgresUrl) {
    const template = templateName();
    await adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE "${template}"`);
    const database = await openPostgres(databaseUrl(postgresUrl, template), 1);
    await database.migrate();
    await database.close();
    return async () => adminQuery(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  }
  const pglite = await PGlite.create();
  const database = await openEmbedded(pglite);
  await database.migrate();
  const dump = await pglite.dumpDataDir('none');
  await database.close();
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
