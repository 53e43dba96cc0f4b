/**
 * What the benchmarks share: scratch PostgreSQL databases, members with sessions made
 * straight in the database, HTTP load through autocannon, interleaved rounds with
 * medians, and printing figures with their ratio to the baseline of the same run.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import pg from 'pg';
import { openPostgres } from '../src/db/database.js';
import type { Db } from '../src/db/database.js';
import { sessionExpiry } from '../src/modules/accounts/rules.js';

/** The PostgreSQL server benchmarks create their databases on. */
export const POSTGRES_URL = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';

function withDatabase(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(POSTGRES_URL, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export type ScratchDatabase = { url: string; prisma: Db; pool: pg.Pool; drop(): Promise<void> };

/** A new, migrated database named after the benchmark; `drop` removes it. With `keep`,
 * an existing database of that name is reused as it is (for data that is slow to make). */
export async function scratchDatabase(label: string, options: { keep?: boolean } = {}): Promise<ScratchDatabase & { existed: boolean }> {
  const name = options.keep ? `tiebridge_bench_${label}` : `tiebridge_bench_${label}_${Date.now().toString(36)}`;
  let existed = false;
  try {
    await admin(`CREATE DATABASE "${name}"`);
  } catch (error) {
    if (!options.keep || (error as { code?: string }).code !== '42P04') throw error;
    existed = true;
  }
  const url = withDatabase(POSTGRES_URL, name);
  const database = await openPostgres(url, 4);
  await database.migrate();
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  return {
    url,
    existed,
    prisma: database.prisma,
    pool,
    drop: async () => {
      await database.close();
      await pool.end();
      if (!options.keep) await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** Signs `memberIds` in without going through logIn: a session row per member, as the
 * accounts service makes it. Returns their bearer tokens in the same order. */
export async function sessionsFor(prisma: Db, memberIds: string[]): Promise<string[]> {
  const now = new Date();
  const tokens = memberIds.map(() => `tb_${randomBytes(32).toString('base64url')}`);
  for (let i = 0; i < memberIds.length; i += 5000) {
    await prisma.session.createMany({
      data: memberIds.slice(i, i + 5000).map((memberId, j) => ({
        id: randomUUID(),
        memberId,
        tokenHash: createHash('sha256').update(tokens[i + j]!).digest(),
        createdAt: now,
        lastUsedAt: now,
        expiresAt: sessionExpiry(now),
      })),
    });
  }
  return tokens;
}

export type Load = { rps: number; p50: number; p99: number; requests: number; failures: number };

/** `connections` clients sending `body` (or one made per request) for `seconds`. Any
 * non-2xx answer, socket error or GraphQL error counts as a failure. */
export async function load(options: {
  url: string;
  seconds: number;
  connections: number;
  body: string | (() => string);
  headers?: Record<string, string> | (() => Record<string, string>);
  method?: 'POST' | 'GET';
}): Promise<Load> {
  let graphqlErrors = 0;
  const headersOf = () => ({
    'content-type': 'application/json',
    ...(typeof options.headers === 'function' ? options.headers() : options.headers),
  });
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: options.method ?? 'POST',
        setupRequest: (request) => ({
          ...request,
          headers: headersOf(),
          body: typeof options.body === 'function' ? options.body() : options.body,
        }),
        onResponse: (_status, body) => {
          if (body.includes('"errors":[{')) graphqlErrors += 1;
        },
      },
    ],
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    failures: result.non2xx + result.errors + result.timeouts + graphqlErrors,
  };
}

export const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const percentile = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

/** Runs every variant once per round, alternating which goes first, and returns each
 * variant's samples. Interleaving spreads the machine's drift over all variants. */
export async function interleave<K extends string, T>(rounds: number, variants: Record<K, () => Promise<T>>): Promise<Record<K, T[]>> {
  const names = Object.keys(variants) as K[];
  const samples = Object.fromEntries(names.map((n) => [n, [] as T[]])) as Record<K, T[]>;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) samples[name].push(await variants[name]());
  }
  return samples;
}

/** The median of each figure of a variant's load samples. */
export const medianLoad = (samples: Load[]): Load => ({
  rps: median(samples.map((s) => s.rps)),
  p50: median(samples.map((s) => s.p50)),
  p99: median(samples.map((s) => s.p99)),
  requests: samples.reduce((n, s) => n + s.requests, 0),
  failures: samples.reduce((n, s) => n + s.failures, 0),
});

/**
 * CPU seconds (user and system) each process whose command line `matches` has used so far,
 * by pid, read from Linux's /proc (none elsewhere): where a benchmark's CPU went.
 * PostgreSQL's backends name their database in their command line, so one benchmark's are
 * told apart.
 */
export function cpuSeconds(matches: (commandLine: string) => boolean): Map<string, number> {
  const used = new Map<string, number>();
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
  } catch {
    return used;
  }
  for (const pid of pids) {
    try {
      if (!matches(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' '))) continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // After "pid (name) ": state is field 0, utime 11 and stime 12, in clock ticks of 1/100 s.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      used.set(pid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The process ended meanwhile.
    }
  }
  return used;
}

/** Runs `work` and returns what it returned with the CPU seconds each group of processes
 * used meanwhile (a process that ends during `work` is not counted). */
export async function withCpu<T, K extends string>(work: () => Promise<T>, groups: Record<K, (commandLine: string) => boolean>): Promise<T & { cpu: Record<K, number> }> {
  const names = Object.keys(groups) as K[];
  const before = names.map((name) => cpuSeconds(groups[name]));
  const result = await work();
  const cpu = Object.fromEntries(
    names.map((name, i) => {
      let seconds = 0;
      for (const [pid, now] of cpuSeconds(groups[name])) seconds += now - (before[i]!.get(pid) ?? 0);
      return [name, seconds];
    }),
  ) as Record<K, number>;
  return { ...result, cpu };
}

/** One line describing where and when the figures were taken. */
export const machine = () =>
  `${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, Node ${process.version}`;

export const fixed = (n: number, digits = 1) => n.toFixed(digits);

/** Prints a table: a header row and rows of cells, padded to their column's width. */
export function table(rows: (string | number)[][]): void {
  const cells = rows.map((row) => row.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]?.length ?? 0)));
  for (const row of cells) console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '));
}

/** Prints a target check and remembers a miss for the exit code. */
export function target(description: string, ok: boolean): void {
  console.log(`${ok ? 'meets' : 'MISSES'} target: ${description}`);
  if (!ok) process.exitCode = 1;
}

/** Runs a TypeScript file as a process of its own and waits for it to print `ready`. */
export async function startScript(file: string, env: Record<string, string>): Promise<{ stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', file], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.removeAllListeners('exit');
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The answer to one POST, parsed. */
export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return response.json();
}

/** The portal's network page, the read the nested-read and scale benchmarks load. */
export const NESTED_READ = `query NetworkPage($slug: String!) {
  network(slug: $slug) {
    members(first: 50) { edges { node { member { displayName skills } } } }
    offers(first: 50) { edges { node { author { handle } } } }
    exchanges(first: 50) { edges { node { giver { handle } receiver { handle } } } }
  }
}`;
