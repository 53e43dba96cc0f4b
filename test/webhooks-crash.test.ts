import { afterAll, expect, it } from 'vitest';
import { graphql } from './graphql/index.js';
import { serverDatabase } from './support/databases.js';
import { CreateNetwork, SignUp } from './support/fixtures.js';
import { PostOffer } from './support/reciprocity.js';
import { webhookReceiver } from './support/receiver.js';
import { callServer as call, startServerProcess as startServer } from './support/server-process.js';

// A server process killed with SIGKILL while it is delivering loses no event: a second
// process on the same database delivers whatever was pending or in flight.

const CrashWebhook = graphql(`
  mutation CrashWebhook($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } errors { code } } }
`);
const EventIds = graphql(`
  query EventIds($slug: String!) { network(slug: $slug) { activity(first: 100) { edges { node { id type } } } } }
`);

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

it('loses no event when the server is killed in the middle of delivering', async () => {
  const database = await serverDatabase('crash');
  cleanup.push(() => database.remove());
  const { env } = database;
  // A slow receiver keeps deliveries in flight when the process dies.
  const receiver = await webhookReceiver({ delayMs: 1500 });
  cleanup.push(() => receiver.close());

  let server = await startServer(env);
  cleanup.push(() => server.stop('SIGKILL'));
  const { signUp } = await call<{ signUp: { token: string } }>(server.url, SignUp, {
    input: { email: 'ada@example.org', password: 'a long enough password', handle: 'ada', displayName: 'Ada' },
  });
  const { createNetwork } = await call<{ createNetwork: { network: { id: string } } }>(
    server.url,
    CreateNetwork,
    {
      input: { name: 'Crash', slug: 'crash', purpose: 'x', visibility: 'PUBLIC', joinPolicy: 'OPEN', decisionMethod: 'MAJORITY', quorum: 0.5, votingPeriodHours: 24 },
    },
    signUp.token,
  );
  const networkId = createNetwork.network.id;
  await call(server.url, CrashWebhook, { input: { networkId, url: receiver.url, events: ['*'] } }, signUp.token);
  for (let i = 0; i < 12; i++) {
    await call(server.url, PostOffer, { input: { networkId, kind: 'SKILLS', title: `Offer ${i}` } }, signUp.token);
  }

  // Deliveries are under way (requests arrived, answers not yet sent): kill.
  const deadline = Date.now() + 20_000;
  while (receiver.arrived() === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(receiver.arrived()).toBeGreaterThan(0);
  await server.stop('SIGKILL');
  const beforeRestart = receiver.received.length;

  receiver.setDelay(0);
  server = await startServer(env);
  const { network } = await call<{ network: { activity: { edges: { node: { id: string; type: string } }[] } } }>(
    server.url,
    EventIds,
    { slug: 'crash' },
    signUp.token,
  );
  const expected = network.activity.edges.filter((e) => e.node.type !== 'network.created' && e.node.type !== 'membership.joined').map((e) => e.node.id);
  expect(expected).toHaveLength(13); // webhook.created and twelve listing.posted
  await receiver.waitFor((r) => expected.every((id) => r.some((x) => x.json.id === id)), 150_000);
  expect(beforeRestart).toBeLessThan(expected.length);
}, 240_000);
