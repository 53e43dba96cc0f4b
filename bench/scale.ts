/**
 * Scale: 100,000 members, 1,000 networks, 1,000,000 exchanges on PostgreSQL (generated
 * by bench/scale-generate.ts into the kept database tiebridge_bench_scale, reused while
 * it has data). Two reads a portal makes, asked with bearer tokens by active members who
 * are not stewards, in the largest network and in a mid-sized one (rank 100 of 1,000):
 *
 *   - the network page: 50 members with their names and skills, 50 offers with their
 *     authors, 50 exchanges with both parties;
 *   - the viewer's 50 strongest ties in the network, with the other member's handle.
 *
 * First each read runs in-process with every SQL statement captured (with its parameters)
 * and EXPLAIN (ANALYZE, BUFFERS) run on it against the same database: each statement's
 * time, rows and scans are printed, and a sequential scan of a large table (members,
 * memberships, listings, exchanges, ties, sessions), or an index scan that goes through
 * more than 1,000 of its rows for a page of 50, fails the run. Then a server process
 * on the database (npm start's entry point) is loaded with autocannon, each read at 1
 * connection (the read's own latency: the target, p99 under 100 ms) and at CONNECTIONS
 * (throughput, requests queueing), ROUNDS rounds interleaved, the database left to
 * settle between runs; medians of throughput, p50 and p99 are printed.
 *
 *   npm run bench:scale                          # PostgreSQL at 127.0.0.1:5432
 *   DATABASE_URL=postgresql://host/postgres npm run bench:scale   # the database is made on that server
 *   SCALE_REGENERATE=1 npm run bench:scale       # make the data again first (about 3 minutes)
 *   ROUNDS=5 SECONDS=8 CONNECTIONS=8 npm run bench:scale
 *   SCALE_SHOW_SQL=1 npm run bench:scale         # print each statement and its parameters too
 *   ROUNDS=0 npm run bench:scale                 # the plans only, no load
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench:scale          # the server with Redis
 *
 * Exits with 1 when a plan scans a large table sequentially or through more than 1,000
 * rows, a read fails, or a p99 at one connection is 100 ms or more.
 */
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { encodeGlobalID } from '@pothos/plugin-relay';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openPostgres } from '../src/db/database.js';
import { startServerProcess } from '../test/support/server-process.js';
import { scaleDatabase } from './scale-generate.js';
import { type Load, fixed, interleave, load, machine, medianLoad, NESTED_READ, post, sessionsFor, table, target } from './support.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SECONDS = Number(process.env.SECONDS ?? 8);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
const VIEWERS = 20;
const P99_TARGET_MS = 100;
/** Tables that grow with the data: a plan must reach them through an index that fits,
 * reading at most MAX_ROWS_READ rows in any one scan for a page of 50. */
const LARGE_TABLES = ['Member', 'Membership', 'Listing', 'Exchange', 'Tie', 'Session'];
const MAX_ROWS_READ = 1000;


export const MY_TIES = `query ScaleMyTies($networkId: ID!) {
  viewer { ties(networkId: $networkId, first: 50) { member { handle } strength } }
}`;

type Network = { label: string; id: string; slug: string; active: number; viewers: { id: string; ties: number }[]; tokens: string[] };
type Read = { label: string; query: string; variables: (n: Network) => Record<string, unknown>; check: (data: any) => boolean };

const READS: Read[] = [
  {
    label: 'network page',
    query: NESTED_READ,
    variables: (n) => ({ slug: n.slug }),
    check: (d) => d.network.members.edges.length === 50 && d.network.offers.edges.length === 50 && d.network.exchanges.edges.length === 50,
  },
  { label: 'my ties', query: MY_TIES, variables: (n) => ({ networkId: encodeGlobalID('Network', n.id) }), check: (d) => d.viewer.ties.length > 0 },
];

/** The largest network and the one at rank 100, each with VIEWERS active members who are
 * not stewards: the half with the most ties in it, the rest spread over everyone else. */
async function networks(pool: pg.Pool): Promise<Network[]> {
  const { rows } = await pool.query<{ id: string; slug: string; active: number }>(
    `SELECT n.id, n.slug, count(*)::int AS active FROM "Network" n JOIN "Membership" m ON m."networkId" = n.id AND m.status = 'ACTIVE'
     GROUP BY n.id ORDER BY active DESC, n.id`,
  );
  const picks = [
    { label: 'largest', ...rows[0]! },
    { label: 'rank 100', ...rows[99]! },
  ];
  const result: Network[] = [];
  for (const pick of picks) {
    const { rows: members } = await pool.query<{ id: string; ties: number }>(
      `SELECT m."memberId" AS id, (SELECT count(*)::int FROM "Tie" t WHERE t."networkId" = $1 AND (t."memberAId" = m."memberId" OR t."memberBId" = m."memberId")) AS ties
       FROM "Membership" m WHERE m."networkId" = $1 AND m.status = 'ACTIVE' AND m.role = 'MEMBER'`,
      [pick.id],
    );
    const byTies = [...members].sort((a, b) => b.ties - a.ties || (a.id < b.id ? -1 : 1));
    const top = byTies.slice(0, VIEWERS / 2);
    const others = byTies.slice(VIEWERS / 2);
    const step = others.length / (VIEWERS - top.length);
    const spread = Array.from({ length: VIEWERS - top.length }, (_, i) => others[Math.floor(i * step)]!);
    result.push({ ...pick, viewers: [...top, ...spread], tokens: [] });
  }
  return result;
}

type Statement = { sql: string; params: unknown[] };
type PlanNode = Record<string, any> & { Plans?: PlanNode[] };

/** A statement's parameters as Prisma logs them (a JSON array of strings), ready to send
 * again: Bytes are logged in base64, and the only Bytes these reads send is the token hash. */
function parameters(sql: string, logged: string): unknown[] {
  const bytes = new Set([...sql.matchAll(/"tokenHash" = \$(\d+)/g)].map((m) => Number(m[1]) - 1));
  return (JSON.parse(logged) as unknown[]).map((value, i) => (bytes.has(i) ? Buffer.from(String(value), 'base64') : value));
}

/** Rows a scan went through: those it returned and those its filter or recheck dropped,
 * over all its loops. */
const rowsRead = (node: PlanNode) =>
  ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * (node['Actual Loops'] ?? 1);

/** The scans of a plan, depth first. */
function scans(node: PlanNode, depth = 0, found: { node: PlanNode; depth: number }[] = []) {
  if (node['Relation Name'] || node['Index Name']) found.push({ node, depth });
  for (const child of node.Plans ?? []) scans(child, depth + 1, found);
  return found;
}

const describe = (node: PlanNode) =>
  `${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}` +
  ` (rows ${node['Actual Rows']}${node['Actual Loops'] > 1 ? ` x ${node['Actual Loops']} loops` : ''}, ${fixed(node['Actual Total Time'], 2)} ms)`;

/** Runs each read once in-process, captures its statements, and EXPLAINs them. Returns
 * false when a plan scans a large table sequentially or reads more than MAX_ROWS_READ of
 * its rows in one scan (an index that does not fit the filter and order). */
async function explainReads(url: string, nets: Network[]): Promise<boolean> {
  let captured: Statement[] = [];
  const database = await openPostgres(url, 4, { onQuery: (sql, params) => captured.push({ sql, params: parameters(sql, params) }) });
  const app = await createApp(loadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: url }), { database });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let ok = true;
  try {
    for (const read of READS) {
      for (const net of nets) {
        const response = await app.yoga.fetch('http://tiebridge.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${net.tokens[0]}` },
          body: JSON.stringify({ query: read.query, variables: read.variables(net) }),
        });
        captured = [];
        // Twice: the first request also warms up (the session lookup is the same either way).
        const again = await app.yoga.fetch('http://tiebridge.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${net.tokens[0]}` },
          body: JSON.stringify({ query: read.query, variables: read.variables(net) }),
        });
        await response.text();
        const body = (await again.json()) as { data?: unknown; errors?: unknown };
        if (body.errors || !read.check(body.data)) throw new Error(`${read.label} answered ${JSON.stringify(body).slice(0, 500)}`);
        const statements = captured.filter((s) => /^\s*(SELECT|WITH)\b/i.test(s.sql));
        console.log(`\n${read.label}, ${net.label} network (${net.active.toLocaleString('en')} active members), viewer with ${net.viewers[0]!.ties} ties: ${statements.length} statements`);
        let total = 0;
        for (const [i, statement] of statements.entries()) {
          const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.sql}`, statement.params);
          const plan = (rows[0]['QUERY PLAN'] as { Plan: PlanNode; 'Execution Time': number }[])[0]!;
          const tables = [...statement.sql.matchAll(/FROM "public"\."(\w+)"/g)].map((m) => m[1]);
          const buffers = plan.Plan['Shared Hit Blocks'] + plan.Plan['Shared Read Blocks'];
          // A nested page Prisma cuts in memory comes with OFFSET and no LIMIT: every row of the relation is read.
          const unpaged = /\bOFFSET\b/.test(statement.sql) && !/\bLIMIT\b/.test(statement.sql) && plan.Plan['Actual Rows'] > 51 ? ' (no LIMIT: every row is read, the page is cut in memory)' : '';
          total += plan['Execution Time'];
          console.log(`  ${i + 1}. ${[...new Set(tables)].join(', ')}: ${fixed(plan['Execution Time'], 2)} ms, ${buffers} buffers, ${plan.Plan['Actual Rows']} rows${unpaged}; top: ${plan.Plan['Node Type']}`);
          for (const { node, depth } of scans(plan.Plan)) {
            const large = LARGE_TABLES.some((t) => node['Relation Name'] === t || String(node['Index Name'] ?? '').startsWith(`${t}_`));
            const read = rowsRead(node);
            const problem = !large ? '' : node['Node Type'] === 'Seq Scan' ? 'SEQUENTIAL SCAN OF A LARGE TABLE: ' : read > MAX_ROWS_READ ? `READS ${read} ROWS: ` : '';
            if (problem) ok = false;
            console.log(`     ${'  '.repeat(Math.min(depth, 4))}${problem}${describe(node)}`);
          }
          if (process.env.SCALE_SHOW_SQL) console.log(`     ${statement.sql}\n     ${JSON.stringify(statement.params)}`);
        }
        console.log(`  ${fixed(total, 1)} ms in PostgreSQL in all`);
      }
    }
  } finally {
    await client.end();
    await app.close();
  }
  return ok;
}

/** Waits until no statement runs on the database but ours: autocannon stops at the end
 * of its time without waiting for the answers still being worked on, and a slow read's
 * leftovers must not land in the next variant's figures. */
async function settle(pool: pg.Pool): Promise<void> {
  for (let quiet = 0, i = 0; quiet < 3 && i < 600; i++) {
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`);
    quiet = rows[0].n === 0 ? quiet + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main() {
  const database = await scaleDatabase();
  const { pool, prisma } = database;
  const server = { stop: async () => {} };
  try {
    // Sessions made straight in the database (a few dozen more each run).
    const nets = await networks(pool);
    for (const net of nets) net.tokens = await sessionsFor(prisma, net.viewers.map((v) => v.id));
    for (const net of nets) {
      const ties = net.viewers.map((v) => v.ties);
      console.log(`${net.label}: ${net.slug}, ${net.active.toLocaleString('en')} active members; viewers have ${Math.min(...ties)} to ${Math.max(...ties)} ties`);
    }

    console.log('\nEXPLAIN (ANALYZE, BUFFERS) of every statement of each read:');
    target(
      `every statement reaches members, memberships, listings, exchanges, ties and sessions through an index, reading at most ${MAX_ROWS_READ} rows per scan`,
      await explainReads(database.url, nets),
    );
    if (ROUNDS === 0) return;

    const process_ = await startServerProcess({ DATABASE_URL: database.url }, { logLevel: 'warn' });
    server.stop = () => process_.stop();
    const url = process_.url;

    // One connection: the latency of the read itself (the target). CONNECTIONS: throughput
    // with requests queueing for the server's event loop and pool.
    const levels = [...new Set([1, CONNECTIONS])];
    const variants = {} as Record<string, () => Promise<Load>>;
    const warmups: (() => Promise<Load>)[] = [];
    const shapes: { name: string; read: Read; net: Network; connections: number }[] = [];
    for (const read of READS) {
      for (const net of nets) {
        // Each request is sent by the next viewer in turn.
        let next = 0;
        const headers = () => ({ authorization: `Bearer ${net.tokens[next++ % net.tokens.length]}` });
        const body = JSON.stringify({ query: read.query, variables: read.variables(net) });
        for (const token of net.tokens) {
          const answer = (await post(url, JSON.parse(body), { authorization: `Bearer ${token}` })) as { data?: unknown; errors?: unknown };
          if (answer.errors || !read.check(answer.data)) throw new Error(`${read.label} answered ${JSON.stringify(answer).slice(0, 500)}`);
        }
        warmups.push(() => settle(pool).then(() => load({ url, seconds: 3, connections: CONNECTIONS, body, headers })));
        for (const connections of levels) {
          const name = `${read.label}, ${net.label} network, ${connections} connection${connections > 1 ? 's' : ''}`;
          variants[name] = () => settle(pool).then(() => load({ url, seconds: SECONDS, connections, body, headers }));
          shapes.push({ name, read, net, connections });
        }
      }
    }
    console.log(`\nWarming up, then ${ROUNDS} rounds of ${SECONDS} s per read and load, interleaved (load average ${loadavg().map((n) => n.toFixed(1)).join(' ')})...`);
    for (const warm of warmups) await warm();
    const samples = await interleave(ROUNDS, variants);

    console.log(`\nScale: ${machine()}, PostgreSQL, medians of ${ROUNDS} rounds of ${SECONDS} s (load average ${loadavg().map((n) => n.toFixed(1)).join(' ')})`);
    const rows: (string | number)[][] = [['read', 'network (active members)', 'connections', 'req/s', 'p50 ms', 'p99 ms', 'p99 of rounds ms', 'failures']];
    for (const { name, read, net, connections } of shapes) {
      const m = medianLoad(samples[name]!);
      const p99s = samples[name]!.map((s) => s.p99);
      rows.push([read.label, `${net.label} (${net.active.toLocaleString('en')})`, connections, fixed(m.rps, 0), fixed(m.p50, 0), fixed(m.p99, 0), `${Math.min(...p99s)}-${Math.max(...p99s)}`, m.failures]);
      target(`${name}: answered, with no failures (${m.requests} requests, ${m.failures} failures)`, m.requests > 0 && m.failures === 0);
    }
    table(rows);
    for (const { name, connections } of shapes) {
      const m = medianLoad(samples[name]!);
      if (connections === 1) target(`${name}: p99 under ${P99_TARGET_MS} ms (${fixed(m.p99, 0)} ms)`, m.p99 < P99_TARGET_MS);
    }
  } finally {
    await server.stop();
    await database.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main().catch((error) => {
  console.error(error);
  process.exit(1);
});
