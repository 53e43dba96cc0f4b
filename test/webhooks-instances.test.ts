import { afterAll, beforeAll, expect, it } from 'vitest';
import { graphql } from './graphql/index.js';
import { createTestApp, type TestApp } from './support/app.js';
import { createNetwork, signUp } from './support/fixtures.js';
import { postOffer } from './support/reciprocity.js';
import { webhookReceiver } from './support/receiver.js';

const CreateWebhook = graphql(`
  mutation InstancesWebhook($input: CreateWebhookInput!) { createWebhook(input: $input) { errors { code } } }
`);

// Two instances deliver from one outbox: every event arrives, none twice.
let first: TestApp;
let second: TestApp;
let receiver: Awaited<ReturnType<typeof webhookReceiver>>;

beforeAll(async () => {
  first = await createTestApp({ jobPollingSeconds: 0.5 });
  second = await first.anotherInstance({ jobPollingSeconds: 0.5 });
  receiver = await webhookReceiver({ delayMs: 20 });
});
afterAll(async () => {
  await second.close();
  await first.close();
  await receiver.close();
});

it('deliver each event once when several instances work the queue', async () => {
  const ada = await signUp(first, 'ada');
  const networkId = await createNetwork(first, ada);
  await first.execute(CreateWebhook, { input: { networkId, url: receiver.url, events: ['listing.*'] } }, { token: ada.token });
  for (let i = 0; i < 30; i++) await postOffer(i % 2 ? first : second, ada, networkId, { kind: 'SKILLS', title: `Offer ${i}` });
  await Promise.all([first.startWorkers(), second.startWorkers()]);
  await receiver.waitFor((r) => r.length >= 30);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const ids = receiver.received.map((r) => r.json.id);
  expect(ids).toHaveLength(30);
  expect(new Set(ids).size).toBe(30);
});
