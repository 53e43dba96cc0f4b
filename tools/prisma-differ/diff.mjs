#!/usr/bin/env node
// Prints the SQL that turns one Prisma schema into another, without network access:
//   node tools/prisma-differ/diff.mjs <from.prisma | --empty> <to.prisma>
// Prisma 7's migrate commands need a native engine that cannot be downloaded here;
// Prisma 6.19's WASM engine can diff two schemas, but only with a live connection,
// so an in-memory PGlite is served on a loopback port for the duration of the call.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const here = dirname(fileURLToPath(import.meta.url));
const [from, to] = process.argv.slice(2);
if (!from || !to) {
  console.error('usage: diff.mjs <from.prisma | --empty> <to.prisma>');
  process.exit(2);
}

// Prisma 6 requires a url in the datasource block (Prisma 7 forbids it) and has no use
// for the generators here.
function forPrisma6(text) {
  return text
    .replace(/generator\s+\w+\s*\{[^}]*\}/g, '')
    .replace(/datasource\s+db\s*\{([^}]*)\}/, (_, body) => `datasource db {${body}  url = env("DATABASE_URL")\n}`);
}

const work = await mkdtemp(join(tmpdir(), 'prisma-differ-'));
const db = await PGlite.create();
const port = 20000 + Math.floor(Math.random() * 20000);
const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1' });
await server.start();
try {
  const args = ['migrate', 'diff', '--script', '--config', join(work, 'prisma.config.mjs')];
  if (from === '--empty') args.push('--from-empty');
  else {
    await writeFile(join(work, 'from.prisma'), forPrisma6(await readFile(resolve(from), 'utf8')));
    args.push('--from-schema-datamodel', join(work, 'from.prisma'));
  }
  await writeFile(join(work, 'to.prisma'), forPrisma6(await readFile(resolve(to), 'utf8')));
  args.push('--to-schema-datamodel', join(work, 'to.prisma'));
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  await writeFile(
    join(work, 'prisma.config.mjs'),
    `import { PrismaPg } from ${JSON.stringify(join(here, 'node_modules/@prisma/adapter-pg/dist/index.mjs'))};
export default {
  experimental: { adapter: true },
  engine: 'js',
  schema: ${JSON.stringify(join(work, 'to.prisma'))},
  adapter: async () => new PrismaPg({ connectionString: ${JSON.stringify(url)}, idleTimeoutMillis: 50 }),
};
`,
  );
  const stub = resolve(here, '../../scripts/no-schema-engine');
  const child = spawn(process.execPath, [join(here, 'node_modules/prisma/build/index.js'), ...args], {
    env: { ...process.env, DATABASE_URL: url, PRISMA_SCHEMA_ENGINE_BINARY: stub, PRISMA_QUERY_ENGINE_LIBRARY: stub, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const code = await new Promise((res) => child.on('close', res));
  if (code !== 0) process.exit(code ?? 1);
  process.stdout.write(out.replace(/^Loaded Prisma config.*\n/m, '').replace(/^\s*\n/, ''));
} finally {
  await server.stop();
  await db.close();
  await rm(work, { recursive: true, force: true });
}
