/**
 * Fan-out: an exchange event delivered to 1,000 and 5,000 graphql-ws subscribers of one
 * network. For each event, the time from the event's record (written in the mutation's
 * transaction, its `at`) to the last subscriber receiving it; p50/p99 over EVENTS events.
 * Baseline in the same run: a bare `ws` server broadcasting the same message to as many
 * sockets (bench/raw-broadcast.ts), timed the same way. Subscribers are plain `ws`
 * sockets speaking graphql-transport-ws in this process, for both.
 *
 *   npm run bench:fanout                                   # one instance, in-memory events
 *   REDIS_URL=redis://127.0.0.1:6379 npm run bench:fanout  # two instances sharing events
 *   SIZES=1000,5000 EVENTS=10 npm run bench:fanout
 *
 * Target: p99 at most 2x the raw broadcast's; no delivery lost.
 */
import WebSocket from 'ws';
import { benchNetwork } from './data.js';
import { fixed, machine, median, percentile, post, scratchDatabase, sessionsFor, startScript, table, target } from './support.js';
import { freePort, randomAddress, startServerProcess } from '../test/support/server-process.js';

const SIZES = (process.env.SIZES ?? '1000,5000').split(',').map(Number);
const EVENTS = Number(process.env.EVENTS ?? 10);
const REDIS_URL = process.env.REDIS_URL || '';
const TIMEOUT_MS = 30_000;
const WARM_UPS = 5;

const SUBSCRIPTION = `subscription Fanout($networkId: ID!) {
  exchangeEvents(networkId: $networkId) { type at exchange { id status kind giver { handle } receiver { handle } } }
}`;
const PROPOSE = `mutation FanoutPropose($input: ProposeExchangeInput!) { proposeExchange(input: $input) { exchange { id } errors { code message } } }`;

type Arrivals = Map<string, { at: number; count: number; last: number }>;

/** One subscriber socket; every `next` message is recorded by its exchange id. */
function subscriber(url: string, arrivals: Arrivals, graphql: { token: string; networkId: string } | null): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.on('error', reject);
    socket.on('open', () => {
      if (!graphql) return resolve(socket);
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${graphql.token}` } }));
    });
    socket.on('message', (raw) => {
      const now = Date.now();
      const message = JSON.parse(raw.toString()) as { type: string; payload?: { data?: { exchangeEvents: { at: string; exchange: { id: string } } } } };
      if (message.type === 'connection_ack') {
        socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { networkId: graphql!.networkId } } }));
        return resolve(socket);
      }
      const event = message.payload?.data?.exchangeEvents;
      if (message.type !== 'next' || !event) return;
      const entry = arrivals.get(event.exchange.id) ?? { at: Date.parse(event.at), count: 0, last: 0 };
      entry.count += 1;
      entry.last = Math.max(entry.last, now);
      arrivals.set(event.exchange.id, entry);
    });
  });
}

async function connectAll(count: number, open: (i: number) => Promise<WebSocket>): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < count; i += 200) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(200, count - i) }, (_, j) => open(i + j)))));
  }
  return sockets;
}

async function waitFor(arrivals: Arrivals, id: string, expected: number): Promise<number> {
  const deadline = Date.now() + TIMEOUT_MS;
  while ((arrivals.get(id)?.count ?? 0) < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return arrivals.get(id)?.count ?? 0;
}

type Result = { latencies: number[]; lost: number };

/**
 * `size` subscribers opened by `open`, then events sent by `send` (which returns the id
 * each is recorded by): first until one reaches every subscriber (a subscription hears
 * only what happens after the server has started it; at most WARM_UPS tries), then EVENTS
 * events, each timed from its `at` to its last arrival.
 */
async function fanOut(size: number, open: (i: number, arrivals: Arrivals) => Promise<WebSocket>, send: () => Promise<string>): Promise<Result> {
  const arrivals: Arrivals = new Map();
  const sockets = await connectAll(size, (i) => open(i, arrivals));
  try {
    for (let attempt = 1; (await waitFor(arrivals, await send(), size)) < size; attempt++) {
      if (attempt === WARM_UPS) throw new Error(`${WARM_UPS} events in a row reached fewer than ${size} subscribers`);
    }
    const latencies: number[] = [];
    let lost = 0;
    for (let e = 0; e < EVENTS; e++) {
      const id = await send();
      lost += size - (await waitFor(arrivals, id, size));
      const entry = arrivals.get(id);
      if (entry) latencies.push(entry.last - entry.at);
    }
    return { latencies, lost };
  } finally {
    for (const socket of sockets) socket.terminate();
  }
}

async function main() {
  const largest = Math.max(...SIZES);
  const scratch = await scratchDatabase('fanout');
  // Subscribers first; then the givers and receivers of every event, two per event.
  const spare = largest + 2 * (EVENTS + WARM_UPS) * SIZES.length;
  const network = await benchNetwork(scratch.prisma, 'fanout', { members: spare + 2, listings: 0, exchanges: 0 });
  const tokens = await sessionsFor(scratch.prisma, network.memberIds);
  const env = { DATABASE_URL: scratch.url, REDIS_URL, NODE_ENV: 'production' };
  const instances = [await startServerProcess(env, { logLevel: 'warn' })];
  if (REDIS_URL) instances.push(await startServerProcess(env, { logLevel: 'warn' }));
  const port = await freePort();
  const raw = await startScript('bench/raw-broadcast.ts', { PORT: String(port) });
  const networkGlobalId = Buffer.from(`Network:${network.networkId}`).toString('base64');
  const wsUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');
  let proposer = largest;
  let template = '';

  const ours = (size: number) =>
    fanOut(
      size,
      (i, arrivals) => subscriber(wsUrl(instances[i % instances.length]!.url), arrivals, { token: tokens[i]!, networkId: networkGlobalId }),
      async () => {
        // Giver and receiver are never subscribers, so each event goes to `size` members.
        const giver = proposer++;
        const receiver = proposer++;
        const answer = (await post(
          instances[0]!.url,
          { query: PROPOSE, variables: { input: { networkId: networkGlobalId, giverId: gid(network.memberIds[giver]!), receiverId: gid(network.memberIds[receiver]!), kind: 'SKILLS', visibility: 'NETWORK' } } },
          { authorization: `Bearer ${tokens[giver]}`, 'x-forwarded-for': randomAddress() },
        )) as { data?: { proposeExchange: { exchange: { id: string } | null; errors: unknown[] } } };
        const id = answer.data?.proposeExchange.exchange?.id;
        if (!id) throw new Error(`proposeExchange failed: ${JSON.stringify(answer)}`);
        return id;
      },
    );

  let broadcasts = 0;
  const baseline = (size: number) =>
    fanOut(
      size,
      (_i, arrivals) => subscriber(`ws://127.0.0.1:${port}/graphql`, arrivals, null),
      async () => {
        const id = `raw-${size}-${broadcasts++}`;
        await fetch(`http://127.0.0.1:${port}/broadcast`, { method: 'POST', body: template.replace('__ID__', id) });
        return id;
      },
    );

  try {
    // The raw server sends what the API sends: one real message, with its id and time as slots.
    template = await capture(wsUrl(instances[0]!.url), tokens, network.memberIds, networkGlobalId, instances[0]!.url, spare);
    const rows: (string | number)[][] = [['subscribers', 'variant', 'p50 ms', 'p99 ms', 'lost']];
    const checks: [string, boolean][] = [];
    for (const size of SIZES) {
      const api = await ours(size);
      const base = await baseline(size);
      const p99 = percentile(api.latencies, 99);
      const baseP99 = percentile(base.latencies, 99);
      rows.push([size, `Tiebridge (${instances.length} instance${instances.length > 1 ? 's, Redis' : ''})`, fixed(median(api.latencies), 0), p99, api.lost]);
      rows.push([size, 'raw ws broadcast', fixed(median(base.latencies), 0), baseP99, base.lost]);
      checks.push([`${size} subscribers: p99 at most 2x the raw broadcast (${fixed(p99 / Math.max(baseP99, 1), 2)}x)`, p99 <= 2 * Math.max(baseP99, 1)]);
      checks.push([`${size} subscribers: no delivery lost (${api.lost})`, api.lost === 0]);
    }
    console.log(`\nFan-out: commit to last delivery of an exchange event, ${EVENTS} events per size (${machine()})\n`);
    table(rows);
    console.log('');
    for (const [description, ok] of checks) target(description, ok);
  } finally {
    await raw.stop();
    for (const instance of instances) await instance.stop();
    await scratch.drop();
  }
}

const gid = (memberId: string) => Buffer.from(`Member:${memberId}`).toString('base64');

/** The `next` message one subscriber receives for one event, with slots for id and time. */
async function capture(url: string, tokens: string[], memberIds: string[], networkId: string, httpUrl: string, spare: number): Promise<string> {
  let message = '';
  const socket = new WebSocket(url, 'graphql-transport-ws');
  await new Promise<void>((resolve) => socket.on('open', () => resolve()));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${tokens[0]}` } }));
  socket.on('message', (raw) => {
    const parsed = JSON.parse(raw.toString()) as { type: string };
    if (parsed.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION, variables: { networkId } } }));
    if (parsed.type === 'next') message = raw.toString();
  });
  await new Promise((r) => setTimeout(r, 500));
  await post(
    httpUrl,
    { query: PROPOSE, variables: { input: { networkId, giverId: gid(memberIds[spare]!), receiverId: gid(memberIds[spare + 1]!), kind: 'SKILLS', visibility: 'NETWORK' } } },
    { authorization: `Bearer ${tokens[spare]}`, 'x-forwarded-for': randomAddress() },
  );
  const deadline = Date.now() + 10_000;
  while (!message && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  socket.terminate();
  if (!message) throw new Error('no event reached the first subscriber');
  const event = (JSON.parse(message) as { payload: { data: { exchangeEvents: { at: string; exchange: { id: string } } } } }).payload.data.exchangeEvents;
  return message.replace(JSON.stringify(event.at), '"__AT__"').replace(event.exchange.id, '__ID__');
}

await main();
