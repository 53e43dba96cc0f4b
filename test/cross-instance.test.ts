import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { graphql } from './graphql/index.js';
import { type FreshDatabase, freshDatabase } from './support/databases.js';
import { CreateNetwork, JoinNetwork, SignUp } from './support/fixtures.js';
import { ProposeExchange } from './support/reciprocity.js';
import { callServer, type ServerProcess, startServerProcess } from './support/server-process.js';

// Two real server processes on the machine's PostgreSQL and Redis: an exchange proposed
// through one reaches a subscriber connected to the other. Runs when the suite runs on
// PostgreSQL and Redis (DATABASE_URL and REDIS_URL), as CI's second pass does.
const enabled = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

const ExchangeEvents = graphql(`
  subscription CrossInstanceExchangeEvents($networkId: ID!) {
    exchangeEvents(networkId: $networkId) { type exchange { id giver { handle } } }
  }
`);

let database: FreshDatabase;
let servers: ServerProcess[] = [];

describe.skipIf(!enabled)('two server processes on PostgreSQL and Redis', () => {
  beforeAll(async () => {
    database = await freshDatabase();
    await database.database.close();
    const env = { DATABASE_URL: database.url! };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 90_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await database?.drop();
  });

  it('deliver an exchange event caused on one instance to a subscriber on the other', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const member = async (handle: string) => {
      const data = await callServer<{ signUp: { token: string; member: { id: string } } }>(a.url, SignUp, {
        input: { email: `${handle}@example.org`, password: 'a long enough password', handle, displayName: handle },
      });
      return { token: data.signUp.token, id: data.signUp.member.id };
    };
    const [giver, receiver] = [await member('giver'), await member('receiver')];
    const created = await callServer<{ createNetwork: { network: { id: string } } }>(
      a.url,
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
    await callServer(b.url, JoinNetwork, { input: { networkId } }, giver.token);

    const client = createClient({
      url: b.url.replace('http', 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${receiver.token}` },
      retryAttempts: 0,
    });
    const iterator = client.iterate({ query: print(ExchangeEvents), variables: { networkId } });
    const first = iterator.next();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const proposed = await callServer<{ proposeExchange: { exchange: { id: string } } }>(
      a.url,
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
