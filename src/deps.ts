import type { Db } from './db/database.js';
import type { EventBus } from './events/bus.js';

/** What every service is built from: the database, the event bus and a clock. */
export type ServiceDeps = {
  db: Db;
  events: EventBus;
  now: () => Date;
};
