/**
 * Server overhead: `{ __typename }` through the whole server (HTTP, Yoga, limits, error
 * codes, CSRF check, context with rate limiter and loaders; production settings) against
 * a bare Yoga server (bench/bare-yoga.ts), each a process of its own, loaded in turn
 * ROUNDS times; medians compared. No database work is involved in either.
 *
 *   npm run bench:overhead
 *
 * Target: at least 70% of the bare server's throughput.
 */
import { fixed, interleave, load, machine, medianLoad, scratchDatabase, startScript, table, target } from './support.js';
import { freePort, startServerProcess } from '../test/support/server-process.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SECONDS = Number(process.env.SECONDS ?? 8);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 16);

async function main() {
  const scratch = await scratchDatabase('overhead');
  const server = await startServerProcess({ DATABASE_URL: scratch.url, REDIS_URL: '', NODE_ENV: 'production' }, { logLevel: 'warn' });
  const port = await freePort();
  const bare = await startScript('bench/bare-yoga.ts', { PORT: String(port) });
  try {
    const body = JSON.stringify({ query: '{ __typename }' });
    const run = (url: string) => () => load({ url, seconds: SECONDS, connections: CONNECTIONS, body });
    const bareUrl = `http://127.0.0.1:${port}/graphql`;
    await run(server.url)();
    await run(bareUrl)();
    const samples = await interleave(ROUNDS, { api: run(server.url), bare: run(bareUrl) });
    const api = medianLoad(samples.api);
    const base = medianLoad(samples.bare);
    console.log(`\nServer overhead: { __typename }, ${CONNECTIONS} connections, ${ROUNDS} x ${SECONDS} s each, medians (${machine()})\n`);
    table([
      ['', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'failures'],
      ['Tiebridge', fixed(api.rps, 0), api.p50, api.p99, api.requests, api.failures],
      ['bare Yoga', fixed(base.rps, 0), base.p50, base.p99, base.requests, base.failures],
    ]);
    const ratio = api.rps / base.rps;
    console.log(`\nratio: throughput ${fixed(ratio, 2)}, p99 ${fixed(api.p99 / Math.max(base.p99, 1), 2)}x`);
    target(`throughput at least 0.70 of bare Yoga (${fixed(ratio, 2)})`, ratio >= 0.7);
    target('no failed request', api.failures + base.failures === 0);
  } finally {
    await bare.stop();
    await server.stop();
    await scratch.drop();
  }
}

await main();
