/**
 * Nested read: the portal's network page (members, offers and exchanges with the people in
 * them, 50 of each) asked by an ordinary member over HTTP, against a bare `node:http`
 * handler answering the same data with hand-written SQL through `pg`
 * (bench/baseline-server.ts) on the same PostgreSQL database. Both run as processes of
 * their own with the same pool size; they are loaded in turn, ROUNDS times, and the
 * medians are compared. Both answers are checked to be the same data first.
 *
 *   npm run bench:nested                 # PostgreSQL at DATABASE_URL or 127.0.0.1:5432
 *   ROUNDS=5 SECONDS=8 CONNECTIONS=16 npm run bench:nested
 *
 * Targets: throughput at least 50% of the baseline's, p99 at most 2x.
 */
import { benchNetwork } from './data.js';
import { fixed, interleave, load, machine, medianLoad, NESTED_READ, post, scratchDatabase, sessionsFor, startScript, table, target, withCpu } from './support.js';
import { freePort, startServerProcess } from '../test/support/server-process.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SECONDS = Number(process.env.SECONDS ?? 8);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);
const SIZES = { members: 2000, listings: 3000, exchanges: 20_000 };


async function main() {
  const scratch = await scratchDatabase('nested');
  try {
    const started = Date.now();
    const network = await benchNetwork(scratch.prisma, 'home', SIZES, 1);
    for (let i = 0; i < 4; i++) await benchNetwork(scratch.prisma, `other${i}`, { members: 500, listings: 500, exchanges: 5000 }, 2 + i);
    if (process.env.EXTRA_SQL) await scratch.pool.query(process.env.EXTRA_SQL);
    await scratch.pool.query('ANALYZE');
    const [token] = await sessionsFor(scratch.prisma, [network.memberIds[42]!]);
    console.log(`data: ${SIZES.members} members, ${SIZES.listings} listings, ${SIZES.exchanges} exchanges in the network read, 4 more networks; made in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const env = { DATABASE_URL: scratch.url, REDIS_URL: '', DATABASE_POOL_SIZE: '10', NODE_ENV: 'production' };
    const server = await startServerProcess(env, { logLevel: 'warn' });
    const port = await freePort();
    const baseline = await startScript('bench/baseline-server.ts', { ...env, PORT: String(port) });
    const baselineUrl = `http://127.0.0.1:${port}/`;
    try {
      const body = JSON.stringify({ query: NESTED_READ, variables: { slug: network.slug } });
      const headers = { authorization: `Bearer ${token}` };
      const ours = await post(server.url, JSON.parse(body), headers);
      const theirs = await post(baselineUrl, JSON.parse(body), headers);
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) throw new Error(`the two answers differ:\n${JSON.stringify(ours).slice(0, 400)}\n${JSON.stringify(theirs).slice(0, 400)}`);

      // Where the CPU goes: the answering process and this database's PostgreSQL backends.
      const database = new URL(scratch.url).pathname.slice(1);
      const run = (url: string, process: string) => () =>
        withCpu(() => load({ url, seconds: SECONDS, connections: CONNECTIONS, body, headers }), {
          handler: (commandLine) => commandLine.includes(process),
          postgres: (commandLine) => commandLine.startsWith('postgres:') && commandLine.includes(` ${database} `),
        });
      const ourRun = run(server.url, 'src/server/main.ts');
      const theirRun = run(baselineUrl, 'bench/baseline-server.ts');
      await ourRun();
      await theirRun();
      const samples = await interleave(ROUNDS, { api: ourRun, baseline: theirRun });
      const api = medianLoad(samples.api);
      const base = medianLoad(samples.baseline);
      const cpuPerRequest = (runs: typeof samples.api, group: 'handler' | 'postgres') =>
        fixed((1000 * runs.reduce((sum, r) => sum + r.cpu[group], 0)) / runs.reduce((sum, r) => sum + r.requests, 0), 2);

      console.log(`\nNested read, PostgreSQL, ${CONNECTIONS} connections, ${ROUNDS} x ${SECONDS} s each, medians (${machine()})\n`);
      table([
        ['', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'failures', 'CPU ms/request: process', 'PostgreSQL'],
        ['Tiebridge', fixed(api.rps, 0), api.p50, api.p99, api.requests, api.failures, cpuPerRequest(samples.api, 'handler'), cpuPerRequest(samples.api, 'postgres')],
        ['node:http + pg', fixed(base.rps, 0), base.p50, base.p99, base.requests, base.failures, cpuPerRequest(samples.baseline, 'handler'), cpuPerRequest(samples.baseline, 'postgres')],
      ]);
      const throughput = api.rps / base.rps;
      const p99 = api.p99 / Math.max(base.p99, 1);
      console.log(`\nratio: throughput ${fixed(throughput, 2)}, p99 ${fixed(p99, 2)}x`);
      target(`throughput at least 0.50 of the baseline (${fixed(throughput, 2)})`, throughput >= 0.5);
      target(`p99 at most 2x the baseline (${fixed(p99, 2)}x)`, p99 <= 2);
      target('no failed request', api.failures + base.failures === 0);
    } finally {
      await baseline.stop();
      await server.stop();
    }
  } finally {
    await scratch.drop();
  }
}

await main();
