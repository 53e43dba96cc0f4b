import type { Db } from './db/database.js';
import type { EventBus } from './events/bus.js';
import type { JobQueue } from './events/jobs.js';

/** What every service is built from: the database, the event bus, the job queue and a clock. */
export type ServiceDeps = {
  db: Db;
  events: EventBus;
  jobs: JobQueue;
  now: () => Date;
};
