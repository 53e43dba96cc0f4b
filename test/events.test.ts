import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Channel, DomainEvent } from '../src/events/bus.js';
import { inTransaction } from '../src/events/unit-of-work.js';
import { createTestApp, type TestApp } from './support/app.js';
import { createNetwork, signUp } from './support/fixtures.js';

let app: TestApp;
let networkId: string;

beforeAll(async () => {
  app = await createTestApp();
  networkId = Buffer.from(await createNetwork(app, await signUp(app)), 'base64').toString().split(':')[1]!;
});
afterAll(() => app.close());

/** Listens to one channel of the network until `count` events arrive or time runs out. */
async function listen(channel: Channel, count: number, work: (received: DomainEvent[]) => Promise<unknown>): Promise<DomainEvent[]> {
  const received: DomainEvent[] = [];
  const iterator = app.events.subscribe(channel, networkId)[Symbol.asyncIterator]();
  const reading = (async () => {
    while (received.length < count) {
      const next = await iterator.next();
      if (next.done) break;
      received.push(next.value);
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 250));
  await work(received).catch(() => {});
  await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, 500))]);
  await iterator.return?.();
  return received;
}

const deps = () => ({ db: app.database.prisma, events: app.events, jobs: app.jobs, now: () => new Date() });

it('publishes recorded activity only after the transaction commits', async () => {
  let seenInsideTransaction = -1;
  const events = await listen('governance', 1, (received) =>
    inTransaction(deps(), async (_tx, record) => {
      await record({ type: 'goal.set', networkId });
      await new Promise((resolve) => setTimeout(resolve, 50));
      seenInsideTransaction = received.length;
    }),
  );
  expect(seenInsideTransaction).toBe(0);
  expect(events.map((e) => e.type)).toEqual(['goal.set']);
  expect(await app.database.prisma.activity.count({ where: { type: 'goal.set' } })).toBe(1);
});

it('neither publishes nor keeps activity of a transaction that rolls back', async () => {
  const events = await listen('governance', 1, () =>
    inTransaction(deps(), async (_tx, record) => {
      await record({ type: 'rule.repealed', networkId });
      throw new Error('use case failed');
    }),
  );
  expect(events).toEqual([]);
  expect(await app.database.prisma.activity.count({ where: { type: 'rule.repealed' } })).toBe(0);
});
