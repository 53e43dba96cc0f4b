import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_NETWORK_SLUG, seedDemoData } from '../src/db/seed.js';
import { createTestApp, type TestApp } from './support/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

it('loads a living demo network once, and does nothing the second time', async () => {
  expect(await seedDemoData(app.database.prisma, app.services)).toBe(true);
  const counts = async () => ({
    members: await app.database.prisma.member.count(),
    activities: await app.database.prisma.activity.count(),
  });
  const after = await counts();
  expect(await seedDemoData(app.database.prisma, app.services)).toBe(false);
  expect(await counts()).toEqual(after);

  const network = await app.database.prisma.network.findUniqueOrThrow({
    where: { slug: DEMO_NETWORK_SLUG },
    include: { memberships: true, rules: true, proposals: { orderBy: { createdAt: 'asc' } }, listings: true, exchanges: true },
  });
  expect(network.memberships.filter((m) => m.status === 'ACTIVE')).toHaveLength(5);
  expect(network.rules.map((r) => r.kind).sort()).toEqual(['DECISION_MAKING', 'PARTICIPATION']);
  expect(network.proposals.map((p) => p.status)).toEqual(['PASSED', 'OPEN']);
  expect(network.listings.filter((l) => l.status === 'OPEN').map((l) => l.type).sort()).toEqual(['ASK', 'ASK', 'OFFER', 'OFFER', 'OFFER']);
  expect(network.exchanges.map((e) => e.status)).toEqual(['COMPLETED', 'COMPLETED', 'COMPLETED']);
});
