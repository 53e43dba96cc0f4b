import type { Db } from './db/database.js';
import type { EventBus } from './events/bus.js';
import type { JobQueue } from './events/jobs.js';
import type { Activity } from './db/generated/prisma/client.js';
import type { Tx } from './events/unit-of-work.js';

/** What every service is built from: the database, the event bus, the job queue and a clock. */
export type ServiceDeps = {
  db: Db;
  events: EventBus;
  jobs: JobQueue;
  now: () => Date;
  /** Called in the transaction for every recorded event: the webhook outbox. */
  outbox?: (tx: Tx, activity: Activity) => Promise<void>;
};
