import type { PGlite } from '@electric-sql/pglite';
import PgBoss from 'pg-boss';
import { log } from '../log.js';
import type { Tx } from './unit-of-work.js';

/**
 * Background work that must happen without anyone asking for it (closing proposals
 * when their voting period ends, ...), on pg-boss: jobs live in the database, several
 * instances share them, and each job is fetched by one worker at a time (SKIP LOCKED).
 * Jobs are added inside the transaction of the change that causes them, so a job
 * exists exactly when its change committed. Handlers must be idempotent: a job whose
 * worker dies mid-way runs again.
 */

type QueueSettings = { retryLimit: number; retryDelay: number; retryBackoff: boolean; expireInSeconds?: number };

export const QUEUES = {
  /** Tallies a proposal and applies it: { proposalId }. */
  'proposal.close': { retryLimit: 20, retryDelay: 10, retryBackoff: true },
  /** Marks an open listing EXPIRED once its expiry passed: { listingId }. */
  'listing.expire': { retryLimit: 20, retryDelay: 10, retryBackoff: true },
  /** Recomputes every trust level once a day (tenure grows with time alone): {}. */
  'trust.daily': { retryLimit: 3, retryDelay: 300, retryBackoff: true },
  /**
   * Sends one webhook delivery: { deliveryId }. Retries wait 10 s x 2^n x (1 to 2): 14 of
   * them span 45 to 91 hours, past the day after which a failing endpoint is disabled. A
   * job held by a worker that died is retried after 30 s (three times the 10 s send timeout).
   */
  'webhook.deliver': { retryLimit: 14, retryDelay: 10, retryBackoff: true, expireInSeconds: 30 },
} satisfies Record<string, QueueSettings>;

export type QueueName = keyof typeof QUEUES;

/** Jobs a worker takes per poll; the rest of the batch completes when the handler returns. */
const JOB_BATCH_SIZE = 10;
export type JobData = {
  'proposal.close': { proposalId: string };
  'listing.expire': { listingId: string };
  'trust.daily': Record<string, never>;
  'webhook.deliver': { deliveryId: string };
};

/** Recurring jobs (cron, UTC); pg-boss makes sure one instance sends each. */
const SCHEDULES: Partial<Record<QueueName, string>> = { 'trust.daily': '17 3 * * *' };

export type JobQueue = {
  /** Adds a job in the caller's transaction. */
  enqueue<Q extends QueueName>(tx: Tx, queue: Q, data: JobData[Q], options?: { startAfter?: Date }): Promise<void>;
  /** Runs `handler` for each job of the queue on this instance; errors retry the job.
   * `last` tells the handler that a failure now will not be retried. */
  work<Q extends QueueName>(queue: Q, handler: (data: JobData[Q], attempt: { last: boolean }) => Promise<void>): Promise<void>;
  /** Creates pg-boss's tables (once per database) and the queues. */
  start(): Promise<void>;
  stop(): Promise<void>;
};

export type JobDatabase = { kind: 'embedded'; pglite: PGlite } | { kind: 'postgres'; url: string };

/** pg-boss talks to PGlite through this: multi-statement scripts (its schema) need exec(). */
function pgliteExecutor(pglite: PGlite) {
  return {
    executeSql: async (text: string, values?: unknown[]) => {
      if (!values?.length && text.includes(';')) {
        const results = await pglite.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      }
      return pglite.query(text, values ?? []);
    },
  };
}

/** Runs pg-boss's statements on a Prisma transaction. */
function transactionExecutor(tx: Tx) {
  return {
    executeSql: async (text: string, values: unknown[] = []) => {
      const params = values.map((v) => (v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v));
      return { rows: await tx.$queryRawUnsafe<unknown[]>(text, ...params) };
    },
  };
}

export function createJobQueue(database: JobDatabase, options: { pollingIntervalSeconds?: number } = {}): JobQueue {
  const boss = new PgBoss({
    ...(database.kind === 'embedded' ? { db: pgliteExecutor(database.pglite) } : { connectionString: database.url, max: 3 }),
    schedule: true,
    // Jobs whose worker died are found and retried within this many seconds.
    maintenanceIntervalSeconds: 15,
  });
  boss.on('error', (error) => log.error({ err: error }, 'job queue error'));
  let started: Promise<void> | undefined;

  return {
    async enqueue(tx, queue, data, { startAfter } = {}) {
      await boss.send(queue, data, { ...(startAfter && { startAfter }), db: transactionExecutor(tx) });
    },
    async work(queue, handler) {
      // pg-boss fetches one batch per polling interval; each job in it succeeds or fails
      // (and is retried) on its own.
      await boss.work<JobData[typeof queue]>(
        queue,
        { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 1, batchSize: JOB_BATCH_SIZE, includeMetadata: true },
        async (jobs) => {
          for (const job of jobs) {
            try {
              await handler(job.data, { last: job.retryCount >= job.retryLimit });
            } catch (error) {
              log.error({ err: error, queue, job: job.id, data: job.data }, 'job failed; it will be retried');
              await boss.fail(queue, job.id, { message: (error as Error).message });
            }
          }
        },
      );
    },
    start: () =>
      (started ??= (async () => {
        await boss.start();
        for (const [name, settings] of Object.entries(QUEUES)) {
          await boss.createQueue(name, { name, ...settings });
          await boss.updateQueue(name, { name, ...settings }); // settings changed since the queue was made
        }
        for (const [name, cron] of Object.entries(SCHEDULES)) await boss.schedule(name, cron, {}, { tz: 'UTC' });
      })()),
    async stop() {
      if (started) await boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    },
  };
}
