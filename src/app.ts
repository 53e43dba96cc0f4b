import type { Config } from './config.js';
import { type Database, openEmbedded, openPostgres } from './db/database.js';
import type { ServiceDeps } from './deps.js';
import { createEventBus, type EventBus } from './events/bus.js';
import { createJobQueue, type JobQueue } from './events/jobs.js';
import { createYogaServer, type YogaServer } from './graphql/yoga.js';
import type { PasswordHasher } from './modules/accounts/passwords.js';
import { createOutbox } from './modules/integrations/service.js';
import { createRateLimits, type RateLimits } from './security/rate-limits.js';
import { createServices, type Services, startWorkers } from './services.js';

export type App = {
  config: Config;
  database: Database;
  events: EventBus;
  jobs: JobQueue;
  services: Services;
  yoga: YogaServer;
  rateLimits: RateLimits;
  /** Starts this instance's background workers (closing proposals, ...). */
  startWorkers(): Promise<void>;
  close(): Promise<void>;
};

export type AppOptions = {
  /** An already opened database (tests pass a fresh one); by default opened from config. */
  database?: Database;
  hasher?: PasswordHasher;
  now?: () => Date;
  /** How often idle workers look for due jobs (default 1 s). */
  jobPollingSeconds?: number;
  /** How webhooks are sent (tests may intercept). */
  fetch?: typeof fetch;
  /** Namespace of the rate-limit counters (tests keep theirs apart). */
  rateLimitPrefix?: string;
};

export const openDatabase = (config: Config) =>
  config.databaseUrl
    ? openPostgres(config.databaseUrl, config.databasePoolSize, { preparedStatements: config.databasePreparedStatements })
    : openEmbedded(config.pgliteDir);

/** Wires the database, event bus, services and GraphQL server; starts nothing. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const database = options.database ?? (await openDatabase(config));
  const events = createEventBus(config.redisUrl);
  const jobs = createJobQueue(database.jobDatabase, { pollingIntervalSeconds: options.jobPollingSeconds });
  await jobs.start();
  const deps: ServiceDeps = {
    db: database.prisma,
    events,
    jobs,
    now: options.now ?? (() => new Date()),
    outbox: createOutbox(jobs),
  };
  const services = createServices(deps, { hasher: options.hasher, fetch: options.fetch });
  const rateLimits = createRateLimits(config.redisUrl, options.rateLimitPrefix);
  const yoga = createYogaServer({ db: database.prisma, services, events, rateLimits }, { production: config.nodeEnv === 'production', trustProxy: config.trustProxy });
  return {
    config,
    database,
    events,
    jobs,
    services,
    yoga,
    rateLimits,
    startWorkers: () => startWorkers(jobs, services),
    close: async () => {
      await yoga.dispose();
      await jobs.stop();
      await events.close();
      await rateLimits.close();
      await database.close();
    },
  };
}
