import { resolve } from 'node:path';
import { z } from 'zod';

/** Everything the server reads from its environment, validated once at start. */
export type Config = {
  port: number;
  host: string;
  /** PostgreSQL connection string; null selects the embedded database. */
  databaseUrl: string | null;
  /** Data directory of the embedded database (ignored with databaseUrl). */
  pgliteDir: string;
  /** Redis for pub/sub between instances; null keeps events in memory. */
  redisUrl: string | null;
  /** Connections in the PostgreSQL pool of one instance. */
  databasePoolSize: number;
  /** Prepare statements by name on PostgreSQL connections (off behind PgBouncer in transaction mode). */
  databasePreparedStatements: boolean;
  nodeEnv: 'development' | 'test' | 'production';
  /** Load the demo network on start (defaults to on for the embedded database outside tests). */
  seedDemoData: boolean;
  /** Take the client address from X-Forwarded-For (behind a proxy such as the compose gateway). */
  trustProxy: boolean;
};

const optionalUrl = (protocols: string[], example: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : null))
    .refine((value) => value === null || isUrlWith(value, protocols), {
      message: `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')} (e.g. ${example})`,
    });

const flag = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1'));

const schema = z.object({
  PORT: z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(4000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  DATABASE_URL: optionalUrl(['postgres:', 'postgresql:'], 'postgresql://postgres@127.0.0.1:5432/tiebridge'),
  PGLITE_DIR: z.string().trim().min(1).default('.data/pglite'),
  REDIS_URL: optionalUrl(['redis:', 'rediss:'], 'redis://127.0.0.1:6379'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1, 'must be at least 1').max(500).default(10),
  DATABASE_PREPARED_STATEMENTS: flag,
  NODE_ENV: z
    .enum(['development', 'test', 'production'], { message: 'must be development, test or production' })
    .default('development'),
  SEED_DEMO_DATA: flag,
  TRUST_PROXY: flag,
});

function isUrlWith(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration; throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankToUndefined = Object.fromEntries(
    Object.keys(schema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = schema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name} ${issue.message} (got ${JSON.stringify(env[name])})`;
      }),
    );
  }
  const v = parsed.data;
  return {
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    pgliteDir: resolve(v.PGLITE_DIR),
    redisUrl: v.REDIS_URL,
    databasePoolSize: v.DATABASE_POOL_SIZE,
    databasePreparedStatements: v.DATABASE_PREPARED_STATEMENTS ?? true,
    nodeEnv: v.NODE_ENV,
    seedDemoData: v.SEED_DEMO_DATA ?? (v.DATABASE_URL === null && v.NODE_ENV !== 'test'),
    trustProxy: v.TRUST_PROXY ?? false,
  };
}
