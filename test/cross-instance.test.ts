import { type ChildProcess, spawn } from 'node:child_process';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { graphql } from './graphql/index.js';
import { type FreshDatabase, freshDatabase } from './support/databases.js';
import { CreateNetwork, JoinNetwork, SignUp } from './support/fixtures.js';
import { ProposeExchange } from './support/reciprocity.js';

// Two real server processes on the machine's PostgreSQL and Redis: an exchange proposed
// through one reaches a subscriber connected to the other. Runs when the suite runs on
// PostgreSQL and Redis (DATABASE_URL and REDIS_URL), as CI's second pass does.
const enabled = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

const ExchangeEvents = graphql(`
  subscription CrossInstanceExchangeEvents($networkId: ID!) {
    exchangeEvents(networkId: $networkId) { type exchange { id giver { handle } } }
  }
`);

type Server = { process: ChildProcess; url: string };
let database: FreshDatabase;
let servers: Server[] = [];

async function startServer(databaseUrl: string): Promise<Server> {
  const port = 30000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/server/main.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', VITEST: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return { process: child, url: `${base}/graphql` };
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error('server process did not become ready');
}

async function post<T>(server: Server, document: Parameters<typeof print>[0], variables: unknown, token?: string): Promise<T> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return ((await response.json()) as { data: T }).data;
}

describe.skipIf(!enabled)('two server processes on PostgreSQL and Redis', () => {
  beforeAll(async () => {
    database = await freshDatabase();
    await database.database.close();
    servers = await Promise.all([startServer(database.url!), startServer(database.url!)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(
      servers.map((s) => new Promise((resolve) => (s.process.once('exit', resolve), s.process.kill('SIGTERM')))),
    );
    await database?.drop();
  });

  it('deliver an exchange event caused on one instance to a subscriber on the other', async () => {
    const [a, b] = servers as [Server, Server];
    const member = async (handle: string) => {
      const data = await post<{ signUp: { token: string; member: { id: string } } }>(a, SignUp, {
        input: { email: `${handle}@example.org`, password: 'a long enough password', handle, displayName: handle },
      });
      return { token: data.signUp.token, id: data.signUp.member.id };
    };
    const [giver, receiver] = [await member('giver'), await member('receiver')];
    const created = await post<{ createNetwork: { network: { id: string } } }>(
      a,
      CreateNetwork,
      {
        input: {
          name: 'Across',
          slug: 'across',
          purpose: 'Two instances',
          visibility: 'PUBLIC',
          joinPolicy: 'OPEN',
          decisionMethod: 'MAJORITY',
          quorum: 0.5,
          votingPeriodHours: 24,
        },
      },
      receiver.token,
    );
    const networkId = created.createNetwork.network.id;
    await post(b, JoinNetwork, { input: { networkId } }, giver.token);

    const client = createClient({
      url: b.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${receiver.token}` },
      retryAttempts: 0,
    });
    const iterator = client.iterate({ query: print(ExchangeEvents), variables: { networkId } });
    const first = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const proposed = await post<{ proposeExchange: { exchange: { id: string } } }>(
      a,
      ProposeExchange,
      { input: { networkId, giverId: giver.id, receiverId: receiver.id, kind: 'SKILLS' } },
      giver.token,
    );
    const event = await Promise.race([
      first,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event within 10 s')), 10_000)),
    ]);
    expect(event.value).toMatchObject({
      data: { exchangeEvents: { type: 'PROPOSED', exchange: { id: proposed.proposeExchange.exchange.id, giver: { handle: 'giver' } } } },
    });
    await iterator.return?.();
    await client.dispose();
  });
});
