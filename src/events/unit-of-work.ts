import type { ServiceDeps } from '../deps.js';
import type { Prisma } from '../db/generated/prisma/client.js';
import type { DomainEvent } from './bus.js';
import type { EventType } from './types.js';

export type Tx = Prisma.TransactionClient;

export type ActivityEntry = {
  type: EventType;
  networkId?: string | null;
  actorId?: string | null;
  subjectId?: string | null;
  data?: Record<string, unknown>;
};

/** Appends a row to the activity record inside the current transaction. */
export type RecordActivity = (entry: ActivityEntry) => Promise<void>;

/**
 * Runs `work` in one transaction. Everything it records goes to the activity record in
 * that transaction and is published as an event only after the commit, so subscribers
 * never hear of a change that was rolled back.
 */
export async function inTransaction<T>(
  deps: ServiceDeps,
  work: (tx: Tx, record: RecordActivity) => Promise<T>,
): Promise<T> {
  const pending: DomainEvent[] = [];
  const result = await deps.db.$transaction(async (tx) => {
    const record: RecordActivity = async (entry) => {
      const row = await tx.activity.create({
        data: {
          type: entry.type,
          networkId: entry.networkId ?? null,
          actorId: entry.actorId ?? null,
          subjectId: entry.subjectId ?? null,
          data: (entry.data ?? {}) as Prisma.InputJsonObject,
        },
      });
      await deps.outbox?.(tx, row);
      pending.push({
        id: row.id.toString(),
        type: row.type,
        networkId: row.networkId,
        actorId: row.actorId,
        subjectId: row.subjectId,
        at: row.createdAt.toISOString(),
        data: entry.data ?? {},
      });
    };
    return work(tx, record);
  });
  for (const event of pending) deps.events.publish(event);
  return result;
}
