import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

// `prisma generate` needs no schema engine, but the CLI looks for one at start and would
// try to download it (impossible offline); any executable file satisfies the check.
// Where the real engine was downloaded (or is configured), it is left alone.
const enginesDir = fileURLToPath(new URL('./node_modules/@prisma/engines', import.meta.url));
const hasSchemaEngine = readdirSync(enginesDir).some((file) => file.startsWith('schema-engine-'));
if (!hasSchemaEngine) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL('./scripts/no-schema-engine', import.meta.url));
}

// Used by the Prisma CLI (generate everywhere; migrate deploy where its engine can be
// downloaded). The server applies the same migrations itself: see src/db/migrate.ts.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  ...(process.env.DATABASE_URL ? { datasource: { url: process.env.DATABASE_URL } } : {}),
});
