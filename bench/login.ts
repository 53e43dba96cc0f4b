/**
 * Login: logIn through the server (rate limits, the account looked up, argon2id verify,
 * a session written) against a loop of argon2id verifies with the same parameters at
 * the same concurrency, in this process, with nothing else running. Accounts are made
 * straight in the database with one real hash; each logIn goes to the next account and
 * comes from its own address, so the per-account and per-address limits never bite.
 *
 *   npm run bench:login
 *
 * Target: at least 80% of the verify loop's rate.
 */
import { randomUUID } from 'node:crypto';
import { createPasswordHasher } from '../src/modules/accounts/passwords.js';
import { fixed, interleave, load, machine, median, scratchDatabase, table, target, withCpu } from './support.js';
import { randomAddress, startServerProcess } from '../test/support/server-process.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SECONDS = Number(process.env.SECONDS ?? 6);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 8);
const ACCOUNTS = Number(process.env.ACCOUNTS ?? 3000);
const PASSWORD = 'correct horse battery staple';

async function main() {
  const hasher = createPasswordHasher();
  const hash = await hasher.hash(PASSWORD);
  const scratch = await scratchDatabase('login');
  const emails = Array.from({ length: ACCOUNTS }, (_, i) => `login${i}@bench.example.org`);
  await scratch.prisma.member.createMany({
    data: emails.map((email, i) => ({ id: randomUUID(), email, handle: `login_${i}`, displayName: `Login ${i}`, passwordHash: hash })),
  });
  const server = await startServerProcess({ DATABASE_URL: scratch.url, REDIS_URL: '', NODE_ENV: 'production' }, { logLevel: 'warn' });
  try {
    let next = 0;
    const database = new URL(scratch.url).pathname.slice(1);
    const logIn = () =>
      withCpu(() => load({
        url: server.url,
        seconds: SECONDS,
        connections: CONNECTIONS,
        body: () =>
          JSON.stringify({
            query: 'mutation($input: LogInInput!) { logIn(input: $input) { token errors { code } } }',
            variables: { input: { email: emails[next++ % ACCOUNTS], password: PASSWORD } },
          }),
        headers: () => ({ 'x-forwarded-for': randomAddress() }),
      }), {
        server: (commandLine) => commandLine.includes('src/server/main.ts'),
        postgres: (commandLine) => commandLine.startsWith('postgres:') && commandLine.includes(` ${database} `),
      }).then((r) => ({ rate: r.rps, failures: r.failures, p99: r.p99, count: r.requests, cpu: r.cpu.server, postgres: r.cpu.postgres }));
    const verifyLoop = async () => {
      let count = 0;
      const started = process.cpuUsage();
      const until = performance.now() + SECONDS * 1000;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (performance.now() < until) {
            if (!(await hasher.verify(hash, PASSWORD))) throw new Error('verify failed');
            count += 1;
          }
        }),
      );
      const used = process.cpuUsage(started);
      return { rate: count / SECONDS, failures: 0, p99: 0, count, cpu: (used.user + used.system) / 1e6, postgres: 0 };
    };
    await logIn();
    await verifyLoop();
    if (next * (ROUNDS + 1) > ACCOUNTS * 10) console.warn('more logins than the per-account limit allows: raise ACCOUNTS');
    const samples = await interleave(ROUNDS, { logIn, verify: verifyLoop });
    const ours = median(samples.logIn.map((s) => s.rate));
    const loop = median(samples.verify.map((s) => s.rate));
    const failures = samples.logIn.reduce((n, s) => n + s.failures, 0);
    console.log(`\nLogin: ${CONNECTIONS} concurrent, ${ROUNDS} x ${SECONDS} s each, medians (${machine()})\n`);
    // CPU per logIn or verify, of the process doing it (argon2id's threads included) and of PostgreSQL.
    const perCall = (runs: { count: number; cpu: number; postgres: number }[], key: 'cpu' | 'postgres') =>
      fixed((1000 * runs.reduce((sum, r) => sum + r[key], 0)) / runs.reduce((sum, r) => sum + r.count, 0), 2);
    table([
      ['', 'per s', 'p99 ms', 'failures', 'CPU ms each: process', 'PostgreSQL'],
      ['logIn over HTTP', fixed(ours, 0), median(samples.logIn.map((s) => s.p99)), failures, perCall(samples.logIn, 'cpu'), perCall(samples.logIn, 'postgres')],
      ['argon2id verify loop', fixed(loop, 0), '', 0, perCall(samples.verify, 'cpu'), ''],
    ]);
    console.log(`\nratio: ${fixed(ours / loop, 2)} (argon2id m=${hasher.params.memoryCost} KiB, t=${hasher.params.timeCost}, p=${hasher.params.parallelism})`);
    target(`logIn at least 0.80 of the verify loop (${fixed(ours / loop, 2)})`, ours / loop >= 0.8);
    target('every logIn succeeded', failures === 0);
  } finally {
    await server.stop();
    await scratch.drop();
  }
}

await main();
