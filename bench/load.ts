/**
 * Load: one server process under a realistic mix for DURATION seconds (30 by default):
 * network pages, viewer pages and filtered listings (reads, 70%), posting offers and
 * proposing exchanges (writes, 30%), while SUBSCRIBERS members hold graphql-ws
 * subscriptions to the network's listing and exchange events. Reports throughput,
 * p50/p99 latency and errors, and checks that no event a subscriber may see is lost.
 *
 * Baseline, measured first in the same run: `{ __typename }` through the same server
 * (HTTP, Yoga, limits, no database), so the ratios hold across machines.
 *
 *   npm run bench:load                                   # embedded PGlite
 *   DATABASE_URL=postgresql://... REDIS_URL=redis://... npm run bench:load
 *   TARGET_URL=http://127.0.0.1:4000/graphql npm run bench:load   # a server already running
 *                                              (with TRUST_PROXY=true, e.g. under a profiler)
 *
 * Exits with 1 when any answer is a 5xx or any event is lost.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { randomAddress, startServerProcess } from '../test/support/server-process.js';

const DURATION = Number(process.env.DURATION ?? 30);
const BASELINE_DURATION = Number(process.env.BASELINE_DURATION ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const MEMBERS = Number(process.env.MEMBERS ?? 60);
const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 20);

type Member = { id: string; token: string; handle: string };

async function post<T>(url: string, query: string, variables: unknown, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': randomAddress(), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const SIGN_UP = `mutation($input: SignUpInput!) { signUp(input: $input) { token member { id } errors { code message } } }`;
const CREATE_NETWORK = `mutation($input: CreateNetworkInput!) { createNetwork(input: $input) { network { id } errors { code message } } }`;
const JOIN = `mutation($input: JoinNetworkInput!) { joinNetwork(input: $input) { errors { code message } } }`;
const POST_OFFER = `mutation LoadPostOffer($input: PostListingInput!) { postOffer(input: $input) { offer { id } errors { code } } }`;
const PROPOSE = `mutation LoadPropose($input: ProposeExchangeInput!) { proposeExchange(input: $input) { exchange { id visibility } errors { code } } }`;
const NETWORK_PAGE = `query LoadNetwork($slug: String!) {
  network(slug: $slug) {
    name purpose
    members(first: 20) { totalCount edges { node { role trustLevel member { handle displayName } } } }
    offers(first: 20) { totalCount edges { node { id title kind author { handle } } } }
  }
}`;
const VIEWER_PAGE = `query LoadViewer { viewer { handle memberships(first: 10) { edges { node { role network { name slug } } } } } }`;
const ASKS = `query LoadAsks($slug: String!, $kind: ContributionKind) {
  network(slug: $slug) { asks(first: 20, kind: $kind, status: OPEN) { edges { node { id title tags author { handle } } } } }
}`;
const KINDS = ['ATTENTION', 'KNOWLEDGE', 'SKILLS', 'CONNECTIONS', 'RESOURCES'];

const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

async function main() {
  const target = process.env.TARGET_URL;
  const dir = process.env.DATABASE_URL || target ? null : await mkdtemp(join(tmpdir(), 'tiebridge-load-'));
  const server = target ? null : await startServerProcess(dir ? { PGLITE_DIR: dir, DATABASE_URL: '' } : {}, { logLevel: 'warn' });
  const url = target ?? server!.url;
  const run = Date.now().toString(36);
  try {
    // A network of MEMBERS members with some asks to read.
    const members: Member[] = [];
    for (let i = 0; i < MEMBERS; i++) {
      const handle = `load_${run}_${i}`;
      const { signUp } = await post<{ signUp: { token: string; member: { id: string } } }>(url, SIGN_UP, {
        input: { email: `${handle}@example.org`, password: 'a long enough password', handle, displayName: `Load ${i}` },
      });
      members.push({ id: signUp.member.id, token: signUp.token, handle });
    }
    const steward = members[0]!;
    const slug = `load-${run}`;
    const { createNetwork } = await post<{ createNetwork: { network: { id: string } } }>(
      url,
      CREATE_NETWORK,
      { input: { name: 'Load', slug, purpose: 'Load test', visibility: 'PUBLIC', joinPolicy: 'OPEN', decisionMethod: 'MAJORITY', quorum: 0.5, votingPeriodHours: 24 } },
      steward.token,
    );
    const networkId = createNetwork.network.id;
    for (const m of members.slice(1)) await post(url, JOIN, { input: { networkId } }, m.token);
    for (let i = 0; i < 40; i++) {
      await post(url, `mutation($input: PostListingInput!) { postAsk(input: $input) { errors { code } } }`, {
        input: { networkId, kind: pick(KINDS), title: `Ask ${i}`, tags: ['garden', 'tools'] },
      }, pick(members).token);
    }

    // Subscribers: the steward (who sees every exchange) and members, each on both streams.
    type Received = { listings: Set<string>; exchanges: Set<string> };
    const subscribers = members.slice(0, SUBSCRIBERS).map((member) => ({ member, received: { listings: new Set<string>(), exchanges: new Set<string>() } as Received }));
    const clients = subscribers.map(({ member, received }) => {
      const client = createClient({ url: url.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${member.token}` }, retryAttempts: 0 });
      const sink = (apply: (data: Record<string, unknown>) => void) => ({
        next: (result: { data?: Record<string, unknown> | null; errors?: unknown }) => (result.errors ? console.error('subscription error', result.errors) : apply(result.data!)),
        error: (error: unknown) => console.error('subscription failed', error),
        complete: () => {},
      });
      client.subscribe(
        { query: 'subscription($networkId: ID!) { listingEvents(networkId: $networkId) { type listing { id } } }', variables: { networkId } },
        sink((data) => received.listings.add((data.listingEvents as { listing: { id: string } }).listing.id)),
      );
      client.subscribe(
        { query: 'subscription($networkId: ID!) { exchangeEvents(networkId: $networkId) { type exchange { id } } }', variables: { networkId } },
        sink((data) => received.exchanges.add((data.exchangeEvents as { exchange: { id: string } }).exchange.id)),
      );
      return client;
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));

    // Baseline: the cheapest operation through the same server.
    const baseline = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: BASELINE_DURATION,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });

    // The mix. Each request is chosen when it is sent; answers are checked as they come.
    const posted: string[] = [];
    const exchanges: { id: string; giver: string; receiver: string; visibility: string }[] = [];
    const tally = { reads: 0, writes: 0, graphqlErrors: 0, payloadErrors: new Map<string, number>(), server5xx: 0 };
    type Pending = { kind: 'read' | 'offer' | 'exchange'; giver?: Member; receiver?: Member };
    const mixed = await autocannon({
      url,
      connections: CONNECTIONS,
      duration: DURATION,
      requests: [
        {
          method: 'POST',
          setupRequest: (request, context) => {
            const member = pick(members);
            const roll = Math.random();
            let body: unknown;
            let pending: Pending = { kind: 'read' };
            if (roll < 0.35) body = { query: NETWORK_PAGE, variables: { slug } };
            else if (roll < 0.55) body = { query: VIEWER_PAGE };
            else if (roll < 0.7) body = { query: ASKS, variables: { slug, kind: pick(KINDS) } };
            else if (roll < 0.85) {
              body = { query: POST_OFFER, variables: { input: { networkId, kind: pick(KINDS), title: 'Offer under load', tags: ['load'] } } };
              pending = { kind: 'offer' };
            } else {
              let receiver = pick(members);
              while (receiver === member) receiver = pick(members);
              const visibility = Math.random() < 0.5 ? 'NETWORK' : 'PARTIES';
              body = { query: PROPOSE, variables: { input: { networkId, giverId: member.id, receiverId: receiver.id, kind: pick(KINDS), visibility } } };
              pending = { kind: 'exchange', giver: member, receiver };
            }
            (context as { pending?: Pending }).pending = pending;
            return {
              ...request,
              headers: { 'content-type': 'application/json', authorization: `Bearer ${member.token}`, 'x-forwarded-for': randomAddress() },
              body: JSON.stringify(body),
            };
          },
          onResponse: (status, body, context) => {
            const pending = (context as { pending?: Pending }).pending!;
            if (status >= 500) tally.server5xx += 1;
            const parsed = JSON.parse(body) as { data?: Record<string, { errors?: { code: string }[]; offer?: { id: string }; exchange?: { id: string; visibility: string } }>; errors?: unknown[] };
            if (parsed.errors?.length) tally.graphqlErrors += 1;
            if (pending.kind === 'read') return void (tally.reads += 1);
            tally.writes += 1;
            const payload = parsed.data && Object.values(parsed.data)[0];
            for (const error of payload?.errors ?? []) tally.payloadErrors.set(error.code, (tally.payloadErrors.get(error.code) ?? 0) + 1);
            if (payload?.offer) posted.push(payload.offer.id);
            if (payload?.exchange) exchanges.push({ id: payload.exchange.id, giver: pending.giver!.id, receiver: pending.receiver!.id, visibility: payload.exchange.visibility });
          },
        },
      ],
    });

    // Every event a subscriber may see reaches them: all offers (active members see every
    // listing); exchanges they are party to, NETWORK-visible ones, and all for the steward.
    const expectedFor = (member: Member) => ({
      listings: posted,
      exchanges: exchanges.filter((e) => member === steward || e.visibility === 'NETWORK' || e.giver === member.id || e.receiver === member.id).map((e) => e.id),
    });
    const missing = () =>
      subscribers.reduce((n, { member, received }) => {
        const expected = expectedFor(member);
        return n + expected.listings.filter((id) => !received.listings.has(id)).length + expected.exchanges.filter((id) => !received.exchanges.has(id)).length;
      }, 0);
    const expectedEvents = subscribers.reduce((n, { member }) => n + expectedFor(member).listings.length + expectedFor(member).exchanges.length, 0);
    const deadline = Date.now() + 15_000;
    while (missing() > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    const lost = missing();
    await Promise.all(clients.map((client) => client.dispose()));

    const row = (name: string, r: autocannon.Result) =>
      `${name.padEnd(9)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(5)} ms  ` +
      `requests ${String(r.requests.total).padStart(6)}  non-2xx ${r.non2xx}  errors ${r.errors}  timeouts ${r.timeouts}`;
    console.log(`\nLoad: ${DURATION} s mixed after a ${BASELINE_DURATION} s baseline; ${CONNECTIONS} connections, ${MEMBERS} members, ${SUBSCRIBERS * 2} subscriptions; database ${target ? `of ${target}` : dir ? 'PGlite' : 'PostgreSQL'}${process.env.REDIS_URL ? ' + Redis' : ''}\n`);
    console.log(row('baseline', baseline));
    console.log(row('mixed', mixed));
    console.log(
      `\nmixed/baseline: throughput x${(mixed.requests.average / baseline.requests.average).toFixed(3)}, ` +
        `p50 x${(mixed.latency.p50 / Math.max(baseline.latency.p50, 1)).toFixed(1)}, p99 x${(mixed.latency.p99 / Math.max(baseline.latency.p99, 1)).toFixed(1)}`,
    );
    console.log(`mixed: ${tally.reads} reads, ${tally.writes} writes (${posted.length} offers, ${exchanges.length} exchanges); GraphQL errors ${tally.graphqlErrors}; payload errors ${JSON.stringify(Object.fromEntries(tally.payloadErrors))}`);
    console.log(`5xx answers: ${tally.server5xx}`);
    console.log(`events: ${expectedEvents - lost} of ${expectedEvents} delivered to ${SUBSCRIBERS} subscribers; lost ${lost}`);
    if (tally.server5xx > 0 || lost > 0 || mixed.errors > 0) process.exitCode = 1;
  } finally {
    await server?.stop('SIGTERM');
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

await main();
