import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../src/modules/integrations/rules.js';
import { graphql } from './graphql/index.js';
import { createTestApp, type TestApp } from './support/app.js';
import { createNetwork, join, signUp, type TestMember } from './support/fixtures.js';
import { localId, propose, vote } from './support/governance.js';
import { completedExchange, postAsk, postOffer } from './support/reciprocity.js';
import { webhookReceiver } from './support/receiver.js';

const CreateWebhook = graphql(`
  mutation CreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) { webhook { id url events } secret errors { code message field } }
  }
`);
const Deliveries = graphql(`
  query Deliveries($id: ID!) {
    node(id: $id) {
      ... on Webhook {
        disabledAt failingSince
        deliveries(first: 100) { totalCount edges { node { id eventType status attemptCount attempts { statusCode latencyMs error } } } }
      }
    }
  }
`);
const EnableWebhook = graphql(`mutation EnableWebhook($input: EnableWebhookInput!) { enableWebhook(input: $input) { webhook { disabledAt } errors { code } } }`);
const Redeliver = graphql(`
  mutation Redeliver($input: RedeliverWebhookEventInput!) { redeliverWebhookEvent(input: $input) { delivery { id status } errors { code message } } }
`);
const Consent = graphql(`mutation Consent($input: UpdateProfileInput!) { updateProfile(input: $input) { errors { code } } }`);

let app: TestApp;
let ada: TestMember;
let grace: TestMember;
let linus: TestMember;
let networkId: string;
let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
let webhook: { id: string; secret: string };
/** The last event before the webhook existed. */
let beforeWebhook: bigint;

const retryNow = () => app.database.prisma.$executeRaw`UPDATE pgboss.job SET start_after = now() WHERE name = 'webhook.deliver' AND state = 'retry'`;

beforeAll(async () => {
  app = await createTestApp({ jobPollingSeconds: 0.5 });
  [ada, grace, linus] = [await signUp(app, 'ada'), await signUp(app, 'grace'), await signUp(app, 'linus')];
  // Grace consents to integrations; Linus does not.
  await app.execute(Consent, { input: { shareWithIntegrations: true } }, { token: grace.token });
  networkId = await createNetwork(app, ada, { slug: 'hooked' });
  receiver = await webhookReceiver();
  beforeWebhook = await lastActivityId();
  const created = await app.execute(CreateWebhook, { input: { networkId, url: receiver.url, events: ['*'] } }, { token: ada.token });
  expect(created.data!.createWebhook.errors).toEqual([]);
  webhook = { id: created.data!.createWebhook.webhook!.id, secret: created.data!.createWebhook.secret! };
  await app.startWorkers();
});
afterAll(async () => {
  await app.close();
  await receiver.close();
});

const eventsSince = (after: bigint) =>
  app.database.prisma.activity.findMany({ where: { networkId: localId(networkId), id: { gt: after } }, orderBy: { id: 'asc' } });
const lastActivityId = async () => (await app.database.prisma.activity.findFirst({ orderBy: { id: 'desc' } }))?.id ?? 0n;

describe('webhooks', () => {
  it('deliver every event of a scenario exactly once, signed, in an order receivers can restore', async () => {
    const start = beforeWebhook; // the webhook hears of its own creation too
    await join(app, grace, networkId);
    await join(app, linus, networkId);
    await postOffer(app, grace, networkId, { kind: 'SKILLS', title: 'Sewing lessons', tags: ['sewing'] });
    await postAsk(app, linus, networkId, { kind: 'SKILLS', title: 'Hem my trousers' });
    await completedExchange(app, grace, linus, networkId);
    const proposal = await propose(app, ada, networkId, { title: 'A goal', action: 'SET_GOAL', goalTitle: 'Mend 100 things' });
    for (const m of [ada, grace, linus]) await vote(app, m, proposal.id, 'YES');

    const expected = await eventsSince(start);
    expect(expected.length).toBeGreaterThan(12);
    await receiver.waitFor((r) => r.length >= expected.length);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // nothing more should come
    const ids = receiver.received.map((r) => r.json.id);
    expect(ids.sort()).toEqual(expected.map((e) => e.id.toString()).sort());
    expect(new Set(ids).size).toBe(ids.length);

    for (const { headers, body } of receiver.received) {
      expect(verifySignature(webhook.secret, headers['x-tiebridge-signature'] as string, body, new Date())).toEqual({ ok: true });
    }
    const ordered = [...receiver.received].sort((a, b) => a.json.sequence - b.json.sequence).map((r) => r.json.type);
    expect(ordered).toEqual(expected.map((e) => e.type));
    expect(receiver.received[0]!.json).toMatchObject({ network: { id: networkId, slug: 'hooked' } });
  });

  it('show only members who consent to sharing with integrations', async () => {
    const bodies = receiver.received.map((r) => r.body).join('\n');
    expect(bodies).toContain('"handle":"grace"');
    expect(bodies).not.toContain('linus');
    expect(bodies).not.toContain(localId(linus.id));
    const completion = receiver.received.find((r) => r.json.type === 'exchange.completed')!.json;
    expect(completion.data).toMatchObject({ giver: { handle: 'grace', displayName: 'grace' }, receiver: null });
  });

  it('lose nothing while the receiver is down, and deliver everything once it is back', async () => {
    const before = receiver.received.length;
    const start = await lastActivityId();
    receiver.answer(503);
    await postOffer(app, grace, networkId, { kind: 'ATTENTION', title: 'Listening ear' });
    await postOffer(app, grace, networkId, { kind: 'ATTENTION', title: 'Another ear' });
    const expected = await eventsSince(start);
    // Every delivery is tried and fails; the attempts are on record.
    const deadline = Date.now() + 10_000;
    let failed = 0;
    while (failed < expected.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      failed = await app.database.prisma.webhookDelivery.count({ where: { activityId: { gt: start }, attemptCount: { gt: 0 } } });
    }
    expect(failed).toBe(expected.length);
    const node = (await app.execute(Deliveries, { id: webhook.id }, { token: ada.token })).data!.node;
    const attempts = node && 'deliveries' in node ? node.deliveries.edges.flatMap((e) => e.node.attempts) : [];
    expect(attempts.some((a) => a.statusCode === 503 && a.error === 'HTTP 503')).toBe(true);
    expect(node).toMatchObject({ disabledAt: null });
    expect(node && 'failingSince' in node && node.failingSince).toBeTruthy();

    // The outage ends; the retries (whose backoff we skip) get through.
    receiver.answer(200);
    await retryNow();
    await receiver.waitFor((r) => r.length >= before + expected.length);
    expect(receiver.received.slice(before).map((r) => r.json.id).sort()).toEqual(expected.map((e) => e.id.toString()).sort());
  });

  it('disable an endpoint that failed for a day, tell the network, and redeliver once enabled', async () => {
    receiver.answer(500);
    await app.database.prisma.webhook.update({ where: { id: localId(webhook.id) }, data: { failingSince: new Date(Date.now() - 25 * 3600_000) } });
    const start = await lastActivityId();
    await postOffer(app, grace, networkId, { kind: 'RESOURCES', title: 'Ladder' });
    const deadline = Date.now() + 10_000;
    let disabledAt: Date | null = null;
    while (!disabledAt && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      disabledAt = (await app.database.prisma.webhook.findUniqueOrThrow({ where: { id: localId(webhook.id) } })).disabledAt;
    }
    expect(disabledAt).not.toBeNull();
    expect(await app.database.prisma.activity.count({ where: { type: 'webhook.disabled', networkId: localId(networkId) } })).toBe(1);

    receiver.answer(200);
    const enabled = await app.execute(EnableWebhook, { input: { webhookId: webhook.id } }, { token: ada.token });
    expect(enabled.data!.enableWebhook).toEqual({ webhook: { disabledAt: null }, errors: [] });
    const failedDelivery = await app.database.prisma.webhookDelivery.findFirstOrThrow({ where: { activityId: { gt: start }, status: { in: ['FAILED', 'CANCELLED'] } } });
    const deliveryId = Buffer.from(`WebhookDelivery:${failedDelivery.id}`).toString('base64');
    const notSteward = await app.execute(Redeliver, { input: { deliveryId } }, { token: grace.token });
    expect(notSteward.data!.redeliverWebhookEvent.errors[0]?.code).toBe('NOT_FOUND');
    const redelivered = await app.execute(Redeliver, { input: { deliveryId } }, { token: ada.token });
    expect(redelivered.data!.redeliverWebhookEvent.errors).toEqual([]);
    await receiver.waitFor((r) => r.some((x) => x.json.id === failedDelivery.activityId.toString()));
  });

  it('accept only known event types and patterns, from stewards', async () => {
    const bad = await app.execute(CreateWebhook, { input: { networkId, url: 'ftp://x', events: ['exchange.*', 'nope.*', 'listing.posted'] } }, { token: ada.token });
    expect(bad.data!.createWebhook.errors.map((e) => e.field?.join('.'))).toEqual(['url', 'events.1']);
    const notSteward = await app.execute(CreateWebhook, { input: { networkId, url: receiver.url, events: ['*'] } }, { token: grace.token });
    expect(notSteward.data!.createWebhook.errors[0]?.code).toBe('FORBIDDEN');
  });
});

describe('signatures', () => {
  it('fail for a tampered body or an old timestamp', () => {
    const { body, headers } = receiver.received[0]!;
    const header = headers['x-tiebridge-signature'] as string;
    expect(verifySignature(webhook.secret, header, body.replace('"type"', '"tyPe"'), new Date())).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(webhook.secret, header, body, new Date(Date.now() + 10 * 60_000))).toEqual({ ok: false, reason: 'expired' });
    expect(verifySignature('whsec_wrong', header, body, new Date())).toEqual({ ok: false, reason: 'mismatch' });
    expect(verifySignature(webhook.secret, 'garbage', body, new Date())).toEqual({ ok: false, reason: 'malformed' });
  });
});
