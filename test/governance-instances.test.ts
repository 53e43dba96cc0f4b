import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/app.js';
import { createNetwork, join, signUp } from './support/fixtures.js';
import { localId, propose, vote } from './support/governance.js';

// Two instances of the server on one database (PostgreSQL with DATABASE_URL: separate
// connection pools and job workers; otherwise two apps on one embedded database).
let first: TestApp;
let second: TestApp;

beforeAll(async () => {
  first = await createTestApp();
  second = await first.anotherInstance();
});
afterAll(async () => {
  await second.close();
  await first.close();
});

it('never close the same proposal twice', async () => {
  const [ada, grace, linus] = [await signUp(first), await signUp(first), await signUp(first)];
  const networkId = await createNetwork(first, ada);
  await join(first, grace, networkId);
  await join(first, linus, networkId);

  const ids: string[] = [];
  for (let i = 0; i < 8; i++) {
    const proposal = await propose(first, ada, networkId, { title: `Goal ${i}`, action: 'SET_GOAL', goalTitle: `Goal ${i}` });
    await vote(first, ada, proposal.id, 'YES');
    await vote(second, grace, proposal.id, 'YES');
    ids.push(localId(proposal.id));
  }
  const db = first.database.prisma;
  // The voting periods end now: both instances' workers and direct attempts race.
  await db.proposal.updateMany({ where: { id: { in: ids } }, data: { closesAt: new Date() } });
  await db.$executeRaw`UPDATE pgboss.job SET start_after = now() WHERE name = 'proposal.close'`;
  await Promise.all([first.startWorkers(), second.startWorkers()]);
  const attempts = await Promise.all(
    ids.flatMap((id) => [first.services.governance.closeProposal(id), second.services.governance.closeProposal(id)]),
  );
  expect(attempts.filter(Boolean).length).toBeLessThanOrEqual(ids.length);

  const deadline = Date.now() + 15_000;
  while ((await db.proposal.count({ where: { id: { in: ids }, status: 'OPEN' } })) > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  // Give any late duplicate a chance to show up before counting.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  for (const [i, id] of ids.entries()) {
    expect((await db.proposal.findUniqueOrThrow({ where: { id } })).status).toBe('PASSED');
    expect(await db.activity.count({ where: { type: 'proposal.closed', subjectId: id } })).toBe(1);
    expect(await db.goal.count({ where: { title: `Goal ${i}` } })).toBe(1);
  }
});
