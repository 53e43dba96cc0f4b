import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MembershipRole, MembershipStatus } from '../src/db/generated/prisma/client.js';
import { exchangeVisibleTo } from '../src/modules/exchanges/policy.js';
import { graphql } from './graphql/index.js';
import { createTestApp, type TestApp } from './support/app.js';
import { createNetwork, join, signUp, type TestMember } from './support/fixtures.js';
import { localId, propose, vote } from './support/governance.js';
import {
  CancelExchange,
  CompleteExchange,
  ConfirmExchange,
  completedExchange,
  postAsk,
  postOffer,
  ProposeExchange,
  proposeExchange,
  RespondToExchange,
} from './support/reciprocity.js';
import { subscribe } from './support/subscriptions.js';

const Ledger = graphql(`
  query Ledger($id: ID!, $networkId: ID!) {
    node(id: $id) {
      ... on Member {
        reciprocity(networkId: $networkId) {
          totalGiven totalReceived
          given { kind count hours units }
          received { kind count hours units }
        }
      }
    }
  }
`);

const NetworkExchanges = graphql(`
  query NetworkExchanges($slug: String!) {
    network(slug: $slug) {
      exchanges(first: 50) { totalCount edges { node { id status giver { handle } receiver { handle } ask { title } offer { title } } } }
      reciprocity { totals { kind count hours } membersWhoOnlyGive { handle } membersWhoOnlyReceive { handle } }
    }
  }
`);

const ExchangeEvents = graphql(`
  subscription ExchangeEvents($networkId: ID!) {
    exchangeEvents(networkId: $networkId) { type exchange { id status giver { handle } } }
  }
`);

let app: TestApp;
let ada: TestMember; // steward
let grace: TestMember;
let linus: TestMember;
let mira: TestMember;
let networkId: string;
const slug = 'exchanges';

beforeAll(async () => {
  app = await createTestApp();
  [ada, grace, linus, mira] = [await signUp(app, 'ada'), await signUp(app, 'grace'), await signUp(app, 'linus'), await signUp(app, 'mira')];
  networkId = await createNetwork(app, ada, { slug });
  for (const m of [grace, linus, mira]) await join(app, m, networkId);
});
afterAll(() => app.close());

const row = (id: string) => app.database.prisma.exchange.findUniqueOrThrow({ where: { id: localId(id) } });
const listingStatus = async (id: string) => (await app.database.prisma.listing.findUniqueOrThrow({ where: { id: localId(id) } })).status;

describe('the lifecycle', () => {
  it('runs from an ask and an offer to a confirmed exchange and the ledger', async () => {
    const ask = await postAsk(app, grace, networkId, { kind: 'SKILLS', title: 'Fix my brakes', tags: ['bikes'] });
    const offer = await postOffer(app, linus, networkId, { kind: 'SKILLS', title: 'I fix bikes', tags: ['bikes'] });
    const exchange = await proposeExchange(app, grace, {
      networkId,
      giverId: linus.id,
      receiverId: grace.id,
      askId: ask.id,
      offerId: offer.id,
      measure: 1.5,
      measureUnit: 'HOURS',
    });
    expect(exchange).toMatchObject({ status: 'PROPOSED', giver: { handle: 'linus' }, ask: { status: 'MATCHED' }, offer: { status: 'MATCHED' } });

    const byProposer = await app.execute(RespondToExchange, { input: { exchangeId: exchange.id, accept: true } }, { token: grace.token });
    expect(byProposer.data!.respondToExchange.errors).toEqual([
      { code: 'FORBIDDEN', message: 'The other side answers a proposed exchange.', field: null },
    ]);
    const accepted = await app.execute(RespondToExchange, { input: { exchangeId: exchange.id, accept: true } }, { token: linus.token });
    expect(accepted.data!.respondToExchange.exchange?.status).toBe('ACCEPTED');
    const completed = await app.execute(CompleteExchange, { input: { exchangeId: exchange.id, gratitude: 'Glad to help' } }, { token: linus.token });
    expect(completed.data!.completeExchange.exchange).toMatchObject({ status: 'COMPLETED', giverGratitude: 'Glad to help' });
    expect(await listingStatus(ask.id)).toBe('FULFILLED');
    expect(await listingStatus(offer.id)).toBe('FULFILLED');

    const byGrace = await app.execute(ConfirmExchange, { input: { exchangeId: exchange.id, gratitude: 'Brakes work!' } }, { token: grace.token });
    expect(byGrace.data!.confirmExchange.exchange).toMatchObject({ receiverGratitude: 'Brakes work!', giverConfirmedAt: null });
    const byLinus = await app.execute(ConfirmExchange, { input: { exchangeId: exchange.id } }, { token: linus.token });
    expect(byLinus.data!.confirmExchange.exchange?.giverConfirmedAt).not.toBeNull();
    const twice = await app.execute(ConfirmExchange, { input: { exchangeId: exchange.id } }, { token: linus.token });
    expect(twice.data!.confirmExchange.errors[0]?.code).toBe('CONFLICT');

    const ledger = async (member: TestMember) => {
      const node = (await app.execute(Ledger, { id: member.id, networkId }, { token: ada.token })).data!.node;
      return node && 'reciprocity' in node ? node.reciprocity : null;
    };
    expect(await ledger(linus)).toMatchObject({ totalGiven: 1, totalReceived: 0 });
    expect((await ledger(linus))!.given.find((g) => g.kind === 'SKILLS')).toEqual({ kind: 'SKILLS', count: 1, hours: 1.5, units: 0 });
    expect((await ledger(grace))!.received.find((g) => g.kind === 'SKILLS')).toEqual({ kind: 'SKILLS', count: 1, hours: 1.5, units: 0 });
    expect(await app.database.prisma.activity.count({ where: { subjectId: localId(exchange.id) } })).toBe(5);
  });

  it('opens a listing again when its exchange is declined or cancelled', async () => {
    const offer = await postOffer(app, mira, networkId, { kind: 'RESOURCES', title: 'Spare drill' });
    const first = await proposeExchange(app, grace, { networkId, giverId: mira.id, receiverId: grace.id, offerId: offer.id, kind: 'RESOURCES' });
    const second = await proposeExchange(app, linus, { networkId, giverId: mira.id, receiverId: linus.id, offerId: offer.id, kind: 'RESOURCES' });
    await app.execute(RespondToExchange, { input: { exchangeId: first.id, accept: false } }, { token: mira.token });
    expect(await listingStatus(offer.id)).toBe('MATCHED');
    await app.execute(CancelExchange, { input: { exchangeId: second.id } }, { token: linus.token });
    expect(await listingStatus(offer.id)).toBe('OPEN');
  });

  it('refuses every illegal transition with CONFLICT and changes nothing', async () => {
    const done = await completedExchange(app, mira, grace, networkId);
    const before = await row(done.id);
    const attempts = [
      app.execute(RespondToExchange, { input: { exchangeId: done.id, accept: true } }, { token: grace.token }),
      app.execute(CompleteExchange, { input: { exchangeId: done.id } }, { token: grace.token }),
      app.execute(CancelExchange, { input: { exchangeId: done.id } }, { token: mira.token }),
    ];
    for (const result of await Promise.all(attempts)) {
      const payload = Object.values(result.data!)[0] as { exchange: unknown; errors: { code: string }[] };
      expect(payload.exchange).toBeNull();
      expect(payload.errors[0]?.code).toBe('CONFLICT');
    }
    const proposed = await proposeExchange(app, grace, { networkId, giverId: mira.id, receiverId: grace.id });
    const early = await app.execute(CompleteExchange, { input: { exchangeId: proposed.id } }, { token: mira.token });
    expect(early.data!.completeExchange.errors).toEqual([
      { code: 'CONFLICT', message: 'Only accepted exchanges can be completed; this one is proposed.', field: null },
    ]);
    const early2 = await app.execute(ConfirmExchange, { input: { exchangeId: proposed.id } }, { token: mira.token });
    expect(early2.data!.confirmExchange.errors[0]?.code).toBe('CONFLICT');
    expect(await row(done.id)).toEqual(before);
  });

  it('lets only one of two concurrent transitions win', async () => {
    for (let i = 0; i < 5; i++) {
      const exchange = await proposeExchange(app, grace, { networkId, giverId: linus.id, receiverId: grace.id });
      // Linus answers from two devices at once: yes on one, no on the other.
      const [accept, decline] = await Promise.all([
        app.execute(RespondToExchange, { input: { exchangeId: exchange.id, accept: true } }, { token: linus.token }),
        app.execute(RespondToExchange, { input: { exchangeId: exchange.id, accept: false } }, { token: linus.token }),
      ]);
      const outcomes = [accept.data!.respondToExchange, decline.data!.respondToExchange];
      expect(outcomes.filter((o) => o.errors.length === 0)).toHaveLength(1);
      expect(outcomes.filter((o) => o.errors[0]?.code === 'CONFLICT')).toHaveLength(1);
      const status = (await row(exchange.id)).status;
      expect(['ACCEPTED', 'DECLINED']).toContain(status);
      expect(await app.database.prisma.activity.count({ where: { subjectId: localId(exchange.id) } })).toBe(2);
    }
  });
});

describe('proposing', () => {
  it('is for the giver or the receiver, with active members, listings of the right people and typed errors', async () => {
    const attempt = async (input: Record<string, unknown>, token = grace.token) => {
      const result = await app.execute(
        ProposeExchange,
        { input: { networkId, giverId: linus.id, receiverId: grace.id, kind: 'SKILLS', ...input } },
        { token },
      );
      return result.data!.proposeExchange.errors.map((e) => [e.code, e.field?.join('.')]);
    };
    expect(await attempt({}, mira.token)).toEqual([['FORBIDDEN', undefined]]);
    expect(await attempt({ giverId: grace.id })).toEqual([['BAD_USER_INPUT', 'receiverId']]);
    expect(await attempt({ measure: 2 })).toEqual([['BAD_USER_INPUT', 'measureUnit']]);
    const outsider = await signUp(app);
    expect(await attempt({ giverId: outsider.id })).toEqual([['NOT_FOUND', 'giverId']]);
    const linusAsk = await postAsk(app, linus, networkId, { kind: 'SKILLS', title: 'Linus asks' });
    expect(await attempt({ askId: linusAsk.id })).toEqual([['BAD_USER_INPUT', 'askId']]);
    expect(await attempt({ offerId: linusAsk.id })).toEqual([['BAD_USER_INPUT', 'offerId']]);
  });

  it('returns the same exchange for the same idempotency key and writes nothing new', async () => {
    const input = { networkId, giverId: linus.id, receiverId: grace.id, kind: 'KNOWLEDGE' as const, idempotencyKey: 'retry-1' };
    const first = await proposeExchange(app, grace, input);
    const counts = async () => [await app.database.prisma.exchange.count(), await app.database.prisma.activity.count()];
    const before = await counts();
    const again = await proposeExchange(app, grace, input);
    expect(again.id).toBe(first.id);
    expect(await counts()).toEqual(before);
    const different = await app.execute(ProposeExchange, { input: { ...input, kind: 'SKILLS' } }, { token: grace.token });
    expect(different.data!.proposeExchange.errors).toEqual([
      { code: 'CONFLICT', message: 'This idempotency key was already used for a different exchange.', field: ['idempotencyKey'] },
    ]);
    // The same key from another member is theirs alone.
    const other = await proposeExchange(app, linus, input);
    expect(other.id).not.toBe(first.id);
  });

  it('creates one exchange for concurrent retries with one key', async () => {
    const input = { networkId, giverId: mira.id, receiverId: grace.id, kind: 'ATTENTION' as const, idempotencyKey: 'burst' };
    const before = await app.database.prisma.exchange.count();
    const results = await Promise.all(Array.from({ length: 6 }, () => app.execute(ProposeExchange, { input }, { token: grace.token })));
    const ids = new Set(results.map((r) => r.data!.proposeExchange.exchange?.id));
    expect(results.every((r) => r.data!.proposeExchange.errors.length === 0)).toBe(true);
    expect(ids.size).toBe(1);
    expect(await app.database.prisma.exchange.count()).toBe(before + 1);
    expect(await app.database.prisma.activity.count({ where: { type: 'exchange.proposed', subjectId: localId([...ids][0]!) } })).toBe(1);
  });
});

describe('seeing exchanges', () => {
  it('shows PARTIES exchanges to the two parties and stewards, NETWORK ones to members', async () => {
    const netId = await createNetwork(app, ada, { slug: 'seeing' });
    for (const m of [grace, linus, mira]) await join(app, m, netId);
    const hidden = await proposeExchange(app, grace, { networkId: netId, giverId: linus.id, receiverId: grace.id });
    const shown = await proposeExchange(app, grace, { networkId: netId, giverId: linus.id, receiverId: grace.id, visibility: 'NETWORK' });
    const seen = async (member: TestMember) =>
      (await app.execute(NetworkExchanges, { slug: 'seeing' }, { token: member.token })).data!.network!.exchanges.edges.map((e) => e.node.id);
    expect(await seen(grace)).toEqual([shown.id, hidden.id]);
    expect(await seen(ada)).toEqual([shown.id, hidden.id]);
    expect(await seen(mira)).toEqual([shown.id]);
    const byMira = await app.execute(RespondToExchange, { input: { exchangeId: hidden.id, accept: true } }, { token: mira.token });
    expect(byMira.data!.respondToExchange.errors[0]?.code).toBe('NOT_FOUND');
    const byAda = await app.execute(RespondToExchange, { input: { exchangeId: hidden.id, accept: true } }, { token: ada.token });
    expect(byAda.data!.respondToExchange.errors).toEqual([
      { code: 'FORBIDDEN', message: 'Only the giver and the receiver can act on an exchange.', field: null },
    ]);
  });

  it('lists a network\'s exchanges with giver, receiver, ask and offer in a constant number of statements', async () => {
    const netId = await createNetwork(app, ada, { slug: 'counting' });
    for (const m of [grace, linus]) await join(app, m, netId);
    const add = async () => {
      const ask = await postAsk(app, grace, netId, { kind: 'SKILLS', title: 'Ask' });
      const offer = await postOffer(app, linus, netId, { kind: 'SKILLS', title: 'Offer' });
      await proposeExchange(app, grace, { networkId: netId, giverId: linus.id, receiverId: grace.id, askId: ask.id, offerId: offer.id });
    };
    const measure = () => app.countStatements(() => app.execute(NetworkExchanges, { slug: 'counting' }, { token: ada.token }));
    await add();
    const small = await measure();
    for (let i = 0; i < 6; i++) await add();
    expect(await measure()).toBe(small);
  });
});

describe('the ledger', () => {
  it('stays exact under concurrent completions', async () => {
    const netId = await createNetwork(app, ada, { slug: 'ledger' });
    for (const m of [grace, linus]) await join(app, m, netId);
    const accepted = [];
    for (let i = 0; i < 10; i++) {
      const exchange = await proposeExchange(app, grace, {
        networkId: netId,
        giverId: linus.id,
        receiverId: grace.id,
        kind: i % 2 ? 'SKILLS' : 'KNOWLEDGE',
        measure: 1,
        measureUnit: 'UNITS',
      });
      await app.execute(RespondToExchange, { input: { exchangeId: exchange.id, accept: true } }, { token: linus.token });
      accepted.push(exchange.id);
    }
    // Both sides complete every one at once: ten succeed, ten are refused.
    const results = await Promise.all(
      accepted.flatMap((exchangeId) => [
        app.execute(CompleteExchange, { input: { exchangeId } }, { token: linus.token }),
        app.execute(CompleteExchange, { input: { exchangeId } }, { token: grace.token }),
      ]),
    );
    expect(results.filter((r) => r.data!.completeExchange.errors.length === 0)).toHaveLength(10);
    const entries = await app.database.prisma.ledgerEntry.findMany({ where: { networkId: localId(netId) } });
    const of = (member: TestMember, kind: string) => entries.find((e) => e.memberId === localId(member.id) && e.kind === kind);
    expect(of(linus, 'SKILLS')).toMatchObject({ givenCount: 5, givenUnits: 5, receivedCount: 0 });
    expect(of(linus, 'KNOWLEDGE')).toMatchObject({ givenCount: 5, givenUnits: 5 });
    expect(of(grace, 'SKILLS')).toMatchObject({ receivedCount: 5, givenCount: 0 });

    const summary = (await app.execute(NetworkExchanges, { slug: 'ledger' }, { token: ada.token })).data!.network!.reciprocity;
    expect(summary).toMatchObject({
      membersWhoOnlyGive: [{ handle: 'linus' }],
      membersWhoOnlyReceive: [{ handle: 'grace' }],
    });
    expect(summary!.totals.filter((t) => t.count > 0)).toEqual([
      { kind: 'KNOWLEDGE', count: 5, hours: 0 },
      { kind: 'SKILLS', count: 5, hours: 0 },
    ]);
    const notSteward = (await app.execute(NetworkExchanges, { slug: 'ledger' }, { token: grace.token })).data!.network!.reciprocity;
    expect(notSteward).toBeNull();
  });
});

describe('exchangeEvents', () => {
  it('reach the parties and, for NETWORK exchanges, members; never outsiders or non-parties of PARTIES exchanges', async () => {
    const asGrace = await subscribe(app, ExchangeEvents, { networkId }, grace.token);
    const asMira = await subscribe(app, ExchangeEvents, { networkId }, mira.token);
    const hidden = await proposeExchange(app, grace, { networkId, giverId: linus.id, receiverId: grace.id });
    const shown = await proposeExchange(app, grace, { networkId, giverId: linus.id, receiverId: grace.id, visibility: 'NETWORK' });
    await app.execute(RespondToExchange, { input: { exchangeId: shown.id, accept: true } }, { token: linus.token });

    const forGrace = [await asGrace.next(), await asGrace.next(), await asGrace.next()].map((r) => r.data!.exchangeEvents);
    expect(forGrace.map((e) => [e.type, e.exchange.id])).toEqual([
      ['PROPOSED', hidden.id],
      ['PROPOSED', shown.id],
      ['ACCEPTED', shown.id],
    ]);
    const forMira = [await asMira.next(), await asMira.next()].map((r) => r.data!.exchangeEvents);
    expect(forMira.map((e) => [e.type, e.exchange.id])).toEqual([
      ['PROPOSED', shown.id],
      ['ACCEPTED', shown.id],
    ]);
    expect(await asMira.drain()).toEqual([]);
    asGrace.close();
    asMira.close();
  });

  it('stop for a member who is removed from the network', async () => {
    const netId = await createNetwork(app, ada, { slug: 'removal' });
    for (const m of [grace, linus]) await join(app, m, netId);
    const events = await subscribe(app, ExchangeEvents, { networkId: netId }, linus.token);
    const removal = await propose(app, ada, netId, { title: 'Remove Linus', action: 'REMOVE_MEMBER', memberId: linus.id });
    await vote(app, linus, removal.id, 'NO');
    await vote(app, ada, removal.id, 'YES');
    expect((await vote(app, grace, removal.id, 'YES')).status).toBe('PASSED');
    await proposeExchange(app, grace, { networkId: netId, giverId: ada.id, receiverId: grace.id, visibility: 'NETWORK' });
    expect(await events.drain(500)).toEqual([]);
    expect(events.ended()).toBe(true);
    events.close();
  });
});

describe('the delivery-time visibility rule', () => {
  it('agrees with the query policy for every kind of reader, role, status and visibility', async () => {
    const db = app.database.prisma;
    const ids = { network: randomUUID(), giver: randomUUID(), receiver: randomUUID() };
    const readers: { id: string; membership: { status: MembershipStatus; role: MembershipRole } | null }[] = [];
    for (const status of ['ACTIVE', 'PENDING', 'LEFT', 'REMOVED'] as const) {
      for (const role of ['MEMBER', 'STEWARD'] as const) readers.push({ id: randomUUID(), membership: { status, role } });
    }
    readers.push({ id: randomUUID(), membership: null });
    const everyone = [ids.giver, ids.receiver, ...readers.map((r) => r.id)];
    await db.member.createMany({ data: everyone.map((id) => ({ id, email: `${id}@example.org`, handle: `r${id.slice(0, 8)}`, displayName: 'Reader', passwordHash: 'x' })) });
    await db.network.create({ data: { id: ids.network, slug: `rule-${ids.network.slice(0, 8)}`, name: 'Rule', purpose: 'Rule', visibility: 'PUBLIC', joinPolicy: 'OPEN' } });
    await db.membership.createMany({
      data: [
        ...[ids.giver, ids.receiver].map((memberId) => ({ memberId, networkId: ids.network, status: 'ACTIVE' as const })),
        ...readers.filter((r) => r.membership).map((r) => ({ memberId: r.id, networkId: ids.network, ...r.membership! })),
      ],
    });
    for (const visibility of ['PARTIES', 'NETWORK'] as const) {
      const exchange = await db.exchange.create({
        data: { networkId: ids.network, giverId: ids.giver, receiverId: ids.receiver, proposerId: ids.giver, kind: 'SKILLS', visibility },
      });
      const cases = [
        ...readers,
        { id: ids.giver, membership: { status: 'ACTIVE', role: 'MEMBER' } as const },
        { id: ids.receiver, membership: { status: 'ACTIVE', role: 'MEMBER' } as const },
      ];
      for (const reader of cases) {
        const byQuery = (await app.services.exchanges.findVisible(reader.id, exchange.id)) !== null;
        expect({ visibility, reader: reader.membership, seen: exchangeVisibleTo(exchange, reader.id, reader.membership) }).toEqual({
          visibility,
          reader: reader.membership,
          seen: byQuery,
        });
      }
    }
  });
});
