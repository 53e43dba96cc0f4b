import { afterAll, expect, it } from 'vitest';
import { localId } from '../src/graphql/ids.js';
import { graphql } from './graphql/index.js';
import { serverDatabase } from './support/databases.js';
import { CreateNetwork, JoinNetwork, SignUp } from './support/fixtures.js';
import { CastVote, CreateProposal } from './support/governance.js';
import { CompleteExchange, ProposeExchange, RespondToExchange } from './support/reciprocity.js';
import { webhookReceiver } from './support/receiver.js';
import { callServer, type ServerProcess, startServerProcess } from './support/server-process.js';

// A server killed with SIGKILL in the middle of a burst of exchange and governance writes
// leaves every write whole or absent: each exchange and proposal has the activity rows of
// the steps it went through, each activity row its webhook delivery (the outbox), the
// ledger matches the completed exchanges, and every write the server acknowledged is
// there. After a restart the outbox drains: every recorded event reaches the webhook.

const Hook = graphql(`
  mutation CrashWritesWebhook($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } errors { code } } }
`);

const ActivityIds = graphql(`
  query CrashWritesActivity($slug: String!) {
    network(slug: $slug) { activity(first: 100) { edges { node { id type } } pageInfo { hasNextPage } } }
  }
`);

const cleanup: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

type Member = { token: string; id: string };

it('keeps every write whole or absent when the server is killed mid-burst', async () => {
  const target = await serverDatabase('crash-writes');
  cleanup.push(() => target.remove());
  const { env, open } = target;
  const receiver = await webhookReceiver();
  cleanup.push(() => receiver.close());

  let server: ServerProcess = await startServerProcess(env);
  cleanup.push(() => server.stop('SIGKILL'));
  /** Sends an operation; a mutation's payload errors fail the test too. */
  const call = async <T>(document: Parameters<typeof callServer>[1], variables: unknown, token?: string) => {
    const data = await callServer<T>(server.url, document, variables, token);
    const payload = Object.values(data as Record<string, { errors?: unknown[] } | null>)[0];
    if (payload?.errors?.length) throw new Error(JSON.stringify(payload.errors));
    return data;
  };

  // Four members of one network with a webhook taking every event.
  const member = async (handle: string): Promise<Member> => {
    const { signUp } = await call<{ signUp: { token: string; member: { id: string } } }>(SignUp, {
      input: { email: `${handle}@example.org`, password: 'a long enough password', handle, displayName: handle },
    });
    return { token: signUp.token, id: signUp.member.id };
  };
  const [ada, ben, cy, dee] = [await member('adaline'), await member('benedict'), await member('cyrus'), await member('deirdre')] as Member[] as [Member, Member, Member, Member];
  const { createNetwork } = await call<{ createNetwork: { network: { id: string } } }>(
    CreateNetwork,
    { input: { name: 'Burst', slug: 'burst', purpose: 'x', visibility: 'PUBLIC', joinPolicy: 'OPEN', decisionMethod: 'MAJORITY', quorum: 0.5, votingPeriodHours: 24 } },
    ada.token,
  );
  const networkId = createNetwork.network.id;
  for (const m of [ben, cy, dee]) await call(JoinNetwork, { input: { networkId } }, m.token);
  await call(Hook, { input: { networkId, url: receiver.url, events: ['*'] } }, ada.token);
  const proposed: string[] = [];
  for (let i = 0; i < 8; i++) {
    const { proposeExchange } = await call<{ proposeExchange: { exchange: { id: string } } }>(
      ProposeExchange,
      { input: { networkId, giverId: ada.id, receiverId: ben.id, kind: 'SKILLS', measure: 1, measureUnit: 'HOURS' } },
      ada.token,
    );
    proposed.push(proposeExchange.exchange.id);
  }

  // The burst: chains of dependent writes, all under way at once.
  const acknowledged: { what: string; id: string }[] = [];
  const step = async <T>(what: string, document: Parameters<typeof callServer>[1], input: Record<string, unknown>, token: string, id: (data: T) => string) => {
    const data = await call<T>(document, { input }, token);
    acknowledged.push({ what, id: id(data) });
  };
  type ExchangePayload = { [k: string]: { exchange: { id: string } } };
  type ProposalPayload = { [k: string]: { proposal: { id: string } } };
  const exchangeId = (d: ExchangePayload) => Object.values(d)[0]!.exchange.id;
  const proposalId = (d: ProposalPayload) => Object.values(d)[0]!.proposal.id;
  const chains = [
    ...proposed.map(async (id) => {
      await step('accepted', RespondToExchange, { exchangeId: id, accept: true }, ben.token, exchangeId);
      await step('completed', CompleteExchange, { exchangeId: id, gratitude: 'thanks' }, ada.token, exchangeId);
    }),
    ...Array.from({ length: 8 }, async (_, i) => {
      let id = '';
      await step('proposed', ProposeExchange, { networkId, giverId: cy.id, receiverId: dee.id, kind: 'KNOWLEDGE', description: `Lesson ${i}` }, cy.token, (d: ExchangePayload) => (id = exchangeId(d)));
      await step('accepted', RespondToExchange, { exchangeId: id, accept: true }, dee.token, exchangeId);
      await step('completed', CompleteExchange, { exchangeId: id }, dee.token, exchangeId);
    }),
    ...Array.from({ length: 5 }, async (_, i) => {
      let id = '';
      await step('opened', CreateProposal, { networkId, title: `Goal ${i}`, body: 'Because.', action: 'SET_GOAL', goalTitle: `Goal ${i}` }, ada.token, (d: ProposalPayload) => (id = proposalId(d)));
      for (const voter of [ben, cy, dee]) await step('voted', CastVote, { proposalId: id, choice: 'YES' }, voter.token, proposalId);
    }),
  ];
  const settled = Promise.allSettled(chains);
  // Kill once a good part of the burst is acknowledged and the rest is in flight.
  const deadline = Date.now() + 60_000;
  while (acknowledged.length < 12 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  await server.stop('SIGKILL');
  const outcomes = await settled;
  const interrupted = outcomes.filter((o) => o.status === 'rejected').length;
  expect(acknowledged.length).toBeGreaterThanOrEqual(12);
  expect(interrupted).toBeGreaterThan(0); // the kill did land mid-burst

  // Restart: the outbox drains (every recorded event reaches the webhook); then stop the
  // server and read the database directly (PGlite belongs to one process at a time).
  server = await startServerProcess(env);
  const { network: recorded } = await call<{ network: { activity: { edges: { node: { id: string; type: string } }[]; pageInfo: { hasNextPage: boolean } } } }>(
    ActivityIds,
    { slug: 'burst' },
    ada.token,
  );
  expect(recorded.activity.pageInfo.hasNextPage).toBe(false);
  const events = recorded.activity.edges.map((e) => e.node).sort((a, b) => Number(a.id) - Number(b.id));
  const ids = events.slice(events.findIndex((e) => e.type === 'webhook.created')).map((e) => e.id);
  await receiver.waitFor((r) => ids.every((id) => r.some((x) => x.json.id === id)), 120_000);
  await server.stop('SIGTERM');
  const database = await open();
  cleanup.push(() => database.close());
  const db = database.prisma;
  const network = localId(networkId, 'Network')!;
  const activity = await db.activity.findMany({ where: { networkId: network }, include: { deliveries: true }, orderBy: { id: 'asc' } });
  const kinds = (subjectId: string, type: string) => activity.filter((a) => a.subjectId === subjectId && a.type === type).length;

  // Exchanges: each step it reached has its activity row, once; no row for a step it did not reach.
  const exchanges = await db.exchange.findMany({ where: { networkId: network } });
  for (const e of exchanges) {
    expect(kinds(e.id, 'exchange.proposed'), `exchange ${e.id} proposed`).toBe(1);
    expect(kinds(e.id, 'exchange.accepted'), `exchange ${e.id} accepted`).toBe(['ACCEPTED', 'COMPLETED'].includes(e.status) ? 1 : 0);
    expect(kinds(e.id, 'exchange.completed'), `exchange ${e.id} completed`).toBe(e.status === 'COMPLETED' ? 1 : 0);
    expect(e.completedAt !== null).toBe(e.status === 'COMPLETED');
  }
  // The ledger counts exactly the completed exchanges, per giver and receiver.
  const ledger = await db.ledgerEntry.findMany({ where: { networkId: network } });
  for (const m of [ada, ben, cy, dee]) {
    const id = localId(m.id, 'Member')!;
    const given = ledger.filter((l) => l.memberId === id).reduce((n, l) => n + l.givenCount, 0);
    const received = ledger.filter((l) => l.memberId === id).reduce((n, l) => n + l.receivedCount, 0);
    expect(given, 'given').toBe(exchanges.filter((e) => e.giverId === id && e.status === 'COMPLETED').length);
    expect(received, 'received').toBe(exchanges.filter((e) => e.receiverId === id && e.status === 'COMPLETED').length);
  }
  // Proposals: opened with a ballot per eligible voter; each cast vote counted and recorded.
  const proposals = await db.proposal.findMany({ where: { networkId: network }, include: { ballots: true } });
  for (const p of proposals) {
    expect(kinds(p.id, 'proposal.opened'), `proposal ${p.id} opened`).toBe(1);
    expect(p.ballots).toHaveLength(p.eligibleCount);
    const cast = p.ballots.filter((b) => b.castAt !== null).length;
    expect(p.yesCount + p.noCount + p.abstainCount + p.blockCount, `tally of ${p.id}`).toBe(cast);
    expect(kinds(p.id, 'proposal.vote_cast'), `votes of ${p.id}`).toBe(cast);
  }
  // No activity row about an exchange or proposal that does not exist.
  const subjects = new Set([...exchanges.map((e) => e.id), ...proposals.map((p) => p.id)]);
  for (const a of activity.filter((a) => a.type.startsWith('exchange.') || a.type.startsWith('proposal.'))) {
    expect(subjects.has(a.subjectId!), `${a.type} ${a.id} has its subject`).toBe(true);
  }
  // Every acknowledged write is there.
  const exchangeById = new Map(exchanges.map((e) => [e.id, e]));
  const proposalById = new Map(proposals.map((p) => [p.id, p]));
  for (const { what, id } of acknowledged) {
    const local = localId(id, ['Exchange', 'Proposal'])!;
    if (what === 'proposed') expect(exchangeById.has(local)).toBe(true);
    if (what === 'accepted') expect(['ACCEPTED', 'COMPLETED']).toContain(exchangeById.get(local)?.status);
    if (what === 'completed') expect(exchangeById.get(local)?.status).toBe('COMPLETED');
    if (what === 'opened') expect(proposalById.has(local)).toBe(true);
    if (what === 'voted') expect(proposalById.get(local)!.yesCount).toBeGreaterThan(0);
  }
  // The outbox: one delivery per event since the webhook exists, and every one was sent
  // (one sent just before the kill may be sent again: delivery is at least once).
  const sinceHook = activity.slice(activity.findIndex((a) => a.type === 'webhook.created'));
  for (const a of sinceHook) {
    expect(a.deliveries, `delivery of ${a.type} ${a.id}`).toHaveLength(1);
    expect(receiver.received.some((r) => r.json.id === a.id.toString()), `${a.type} ${a.id} reached the webhook`).toBe(true);
  }
}, 300_000);
