/**
 * Trust graph benchmark: a network of 2,000 members and 20,000 ties (20 communities,
 * most ties inside them). Reports
 *   - map and connectors computed by the service from the database, against the same
 *     graphology computations on an in-memory edge list (the floor);
 *   - one `Member.ties` read through the whole GraphQL stack, against the one SQL query
 *     that fetches the same ties.
 * Variants are interleaved and repeated; medians are reported.
 *
 *   npm run bench:trust                      # embedded PGlite
 *   DATABASE_URL=postgresql://... npm run bench:trust
 */
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { type Database, openEmbedded, openPostgres } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import { clusters, connectors } from '../src/modules/trust/graph.js';
import { baseTieStrength } from '../src/modules/trust/rules.js';

const MEMBERS = 2000;
const TIES = 20_000;
const COMMUNITIES = 20;
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const READS = Number(process.env.READS ?? 200);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p99 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.99))]!;
const ms = (n: number) => `${n.toFixed(1)} ms`;
async function time(work: () => Promise<unknown> | unknown) {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

async function open(): Promise<{ database: Database; sql: (text: string, params: unknown[]) => Promise<unknown[]> }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const database = await openPostgres(url, 4);
    await database.migrate();
    const pg = (await import('pg')).default;
    const pool = new pg.Pool({ connectionString: url, max: 2 });
    return { database, sql: async (text, params) => (await pool.query(text, params)).rows };
  }
  const pglite = await PGlite.create();
  const database = await openEmbedded(pglite);
  await database.migrate();
  return { database, sql: async (text, params) => (await pglite.query(text, params)).rows };
}

async function generate(database: Database) {
  const db = database.prisma;
  const networkId = randomUUID();
  const memberIds = Array.from({ length: MEMBERS }, () => randomUUID());
  await db.member.createMany({
    data: memberIds.map((id, i) => ({ id, email: `bench${i}-${networkId}@example.org`, handle: `b${i}_${networkId.slice(0, 8)}`, displayName: `Member ${i}`, passwordHash: 'x' })),
  });
  await db.network.create({ data: { id: networkId, slug: `bench-${networkId.slice(0, 8)}`, name: 'Bench', purpose: 'Benchmark', visibility: 'PUBLIC', joinPolicy: 'OPEN' } });
  await db.membership.createMany({
    data: memberIds.map((memberId, i) => ({ memberId, networkId, status: 'ACTIVE' as const, role: i === 0 ? ('STEWARD' as const) : ('MEMBER' as const), joinedAt: new Date() })),
  });
  const community = (i: number) => i % COMMUNITIES;
  const seen = new Set<string>();
  const ties = [];
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  while (ties.length < TIES) {
    const x = Math.floor(random() * MEMBERS);
    // Nine in ten ties stay inside the community.
    let y = Math.floor(random() * MEMBERS);
    if (random() < 0.9) y = (Math.floor(random() * (MEMBERS / COMMUNITIES)) * COMMUNITIES + community(x)) % MEMBERS;
    if (x === y) continue;
    const [a, b] = [memberIds[x]!, memberIds[y]!].sort() as [string, string];
    if (seen.has(a + b)) continue;
    seen.add(a + b);
    const signals = { meetupsTogether: 1 + Math.floor(random() * 6), exchangesAToB: Math.floor(random() * 3), exchangesBToA: Math.floor(random() * 3), vouchAToB: random() < 0.2, vouchBToA: random() < 0.2, introductionsAccepted: 0 };
    const at = new Date(Date.now() - Math.floor(random() * 120) * 86400_000);
    ties.push({ networkId, memberAId: a, memberBId: b, ...signals, strength: baseTieStrength(signals), firstInteractionAt: at, lastInteractionAt: at });
  }
  for (let i = 0; i < ties.length; i += 2000) await db.tie.createMany({ data: ties.slice(i, i + 2000) });
  return { networkId, memberIds, steward: memberIds[0]! };
}

async function main() {
  const { database, sql } = await open();
  console.log(`Generating ${MEMBERS} members and ${TIES} ties on ${database.kind === 'postgres' ? 'PostgreSQL' : 'embedded PGlite'}...`);
  const { networkId, memberIds, steward } = await generate(database);
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const app = await createApp(config, { database });
  const deps = { db: database.prisma, events: app.events, jobs: app.jobs, now: () => new Date() };

  // Graph: a fresh service each round, so nothing is cached.
  const rows = await database.prisma.tie.findMany({ where: { networkId } });
  const edges = rows.map((t) => ({ a: t.memberAId, b: t.memberBId, strength: t.strength }));
  const floor = { map: [] as number[], connectors: [] as number[] };
  const service = { map: [] as number[], connectors: [] as number[] };
  let ranked = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let found = new Map<string, number>();
    floor.map.push(await time(() => (found = clusters(memberIds, edges))));
    floor.connectors.push(await time(() => connectors(edges, found, new Map())));
    const trust = createServices(deps).trust;
    service.map.push(await time(() => trust.map(networkId, 0)));
    service.connectors.push(await time(async () => (ranked = (await trust.connectors(networkId, 10)).ranked.length)));
  }

  // Member.ties: one member's ties through GraphQL, against the SQL that reads them.
  const token = await app.services.accounts.signUp({ email: `steward-${networkId}@example.org`, password: 'a long enough password', handle: `s_${networkId.slice(0, 8)}`, displayName: 'Steward' });
  await database.prisma.membership.create({ data: { memberId: token.member.id, networkId, status: 'ACTIVE', role: 'STEWARD', joinedAt: new Date() } });
  void steward;
  const query = 'query($id: ID!, $n: ID!) { node(id: $id) { ... on Member { ties(networkId: $n, first: 20) { member { handle } strength meetupsTogether } } } }';
  const read = { graphql: [] as number[], sql: [] as number[] };
  const networkGlobal = encodeGlobalID('Network', networkId);
  for (let i = 0; i < READS; i++) {
    const memberId = memberIds[(i * 7919) % MEMBERS]!;
    read.sql.push(
      await time(() =>
        sql(
          `SELECT t.*, m.handle FROM "Tie" t JOIN "Member" m ON m.id = CASE WHEN t."memberAId" = $2 THEN t."memberBId" ELSE t."memberAId" END
           WHERE t."networkId" = $1 AND (t."memberAId" = $2 OR t."memberBId" = $2) ORDER BY t.strength DESC LIMIT 20`,
          [networkId, memberId],
        ),
      ),
    );
    read.graphql.push(
      await time(async () => {
        const response = await app.yoga.fetch('http://bench/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}` },
          body: JSON.stringify({ query, variables: { id: encodeGlobalID('Member', memberId), n: networkGlobal } }),
        });
        const body = (await response.json()) as { errors?: unknown };
        if (body.errors) throw new Error(JSON.stringify(body.errors));
      }),
    );
  }

  console.log(`\nTrust graph, ${MEMBERS} members, ${TIES} ties, ${ROUNDS} rounds (medians); ${ranked} connectors listed`);
  console.log(`  map (clusters)     service ${ms(median(service.map))}   floor ${ms(median(floor.map))}   ratio ${(median(service.map) / median(floor.map)).toFixed(2)}x`);
  console.log(`  connectors         service ${ms(median(service.connectors))}   floor ${ms(median(floor.connectors))}   ratio ${(median(service.connectors) / median(floor.connectors)).toFixed(2)}x`);
  console.log(`Member.ties read, ${READS} reads`);
  console.log(`  GraphQL  median ${ms(median(read.graphql))}  p99 ${ms(p99(read.graphql))}`);
  console.log(`  SQL      median ${ms(median(read.sql))}  p99 ${ms(p99(read.sql))}`);
  console.log(`  ratio    median ${(median(read.graphql) / median(read.sql)).toFixed(2)}x  p99 ${(p99(read.graphql) / p99(read.sql)).toFixed(2)}x`);
  await app.close();
  process.exit(0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
