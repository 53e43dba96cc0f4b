import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MembershipStatus } from '../src/db/generated/prisma/client.js';
import { listingVisibleTo } from '../src/modules/listings/policy.js';
import { graphql } from './graphql/index.js';
import { createTestApp, type TestApp } from './support/app.js';
import { createNetwork, join, signUp, type TestMember } from './support/fixtures.js';
import { localId } from './support/governance.js';
import { PostAsk, postAsk, postOffer } from './support/reciprocity.js';
import { statementsToHear, subscribe } from './support/subscriptions.js';

const UpdateSkills = graphql(`
  mutation UpdateSkills($input: UpdateProfileInput!) { updateProfile(input: $input) { errors { code } } }
`);

const NetworkListings = graphql(`
  query NetworkListings($slug: String!, $kind: ContributionKind, $status: ListingStatus, $tag: String, $first: Int, $after: String) {
    network(slug: $slug) {
      asks(first: $first, after: $after, kind: $kind, status: $status, tag: $tag) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { title kind status tags author { handle } } }
      }
      offers(first: 10) { totalCount edges { node { title } } }
    }
  }
`);

const Suggestions = graphql(`
  query Suggestions($id: ID!) {
    node(id: $id) {
      ... on Ask { suggestedOffers(first: 5) { score reasons member { handle } offer { title } ask { title } } }
      ... on Offer { suggestedAsks(first: 5) { score reasons member { handle } ask { title } } }
    }
  }
`);

const CloseListing = graphql(`
  mutation CloseListing($input: CloseListingInput!) {
    closeListing(input: $input) { listing { __typename id status } errors { code message field } }
  }
`);

const ListingEvents = graphql(`
  subscription ListingEvents($networkId: ID!) {
    listingEvents(networkId: $networkId) { type listing { __typename title status } }
  }
`);

let app: TestApp;
let ada: TestMember;
let grace: TestMember;
let networkId: string;
const slug = 'repair-listings';

beforeAll(async () => {
  app = await createTestApp();
  ada = await signUp(app, 'ada');
  grace = await signUp(app, 'grace');
  networkId = await createNetwork(app, ada, { slug });
  await join(app, grace, networkId);
});
afterAll(() => app.close());

describe('posting', () => {
  it('normalises tags and starts OPEN, visible to the network', async () => {
    const ask = await postAsk(app, grace, networkId, {
      kind: 'SKILLS',
      title: 'Help fixing a bike',
      tags: [' Bikes', 'bikes', 'Brakes  Cable'],
    });
    expect(ask).toMatchObject({ status: 'OPEN', visibility: 'NETWORK', tags: ['bikes', 'brakes cable'], author: { handle: 'grace' } });
  });

  it('refuses bad input with field errors, writing nothing', async () => {
    const before = await app.database.prisma.listing.count();
    const attempt = async (input: Record<string, unknown>, token = grace.token) => {
      const result = await app.execute(PostAsk, { input: { networkId, kind: 'SKILLS', title: 'x', ...input } }, { token });
      return result.data!.postAsk.errors.map((e) => [e.code, e.field?.join('.')]);
    };
    expect(await attempt({ tags: Array.from({ length: 11 }, (_, i) => `tag${i}`) })).toEqual([['BAD_USER_INPUT', 'tags']]);
    expect(await attempt({ tags: ['x'.repeat(33)] })).toEqual([['BAD_USER_INPUT', 'tags.0']]);
    expect(await attempt({ title: '  ' })).toEqual([['BAD_USER_INPUT', 'title']]);
    expect(await attempt({ expiresAt: new Date(Date.now() - 1000).toISOString() })).toEqual([['BAD_USER_INPUT', 'expiresAt']]);
    const privateNet = await createNetwork(app, ada, { visibility: 'PRIVATE' });
    const result = await app.execute(
      PostAsk,
      { input: { networkId: privateNet, kind: 'SKILLS', title: 'x', visibility: 'PUBLIC' } },
      { token: ada.token },
    );
    expect(result.data!.postAsk.errors).toEqual([{ code: 'BAD_USER_INPUT', message: 'A private network has no public listings.', field: ['visibility'] }]);
    const outsider = await signUp(app);
    expect(await attempt({}, outsider.token)).toEqual([['FORBIDDEN', undefined]]);
    const hidden = await app.execute(PostAsk, { input: { networkId: privateNet, kind: 'SKILLS', title: 'x' } }, { token: outsider.token });
    expect(hidden.data!.postAsk.errors[0]?.code).toBe('NOT_FOUND');
    expect(await app.database.prisma.listing.count()).toBe(before);
  });
});

describe('reading', () => {
  it('filters by kind, status and tag, newest first, page by page', async () => {
    const netId = await createNetwork(app, ada, { slug: 'filters' });
    await postAsk(app, ada, netId, { kind: 'KNOWLEDGE', title: 'First', tags: ['law'] });
    await postAsk(app, ada, netId, { kind: 'SKILLS', title: 'Second', tags: ['bikes'] });
    await postAsk(app, ada, netId, { kind: 'SKILLS', title: 'Third', tags: ['Bikes', 'paint'] });
    await postOffer(app, ada, netId, { kind: 'SKILLS', title: 'An offer' });
    const read = async (vars: Record<string, unknown>) => (await app.execute(NetworkListings, { slug: 'filters', first: 10, ...vars }, { token: ada.token })).data!.network!;
    const all = await read({});
    expect(all.asks.edges.map((e) => e.node.title)).toEqual(['Third', 'Second', 'First']);
    expect(all.offers.totalCount).toBe(1);
    expect((await read({ kind: 'SKILLS' })).asks.totalCount).toBe(2);
    expect((await read({ tag: ' BIKES' })).asks.edges.map((e) => e.node.title)).toEqual(['Third', 'Second']);
    expect((await read({ status: 'CLOSED' })).asks.totalCount).toBe(0);
    const page = await read({ first: 2 });
    const next = await read({ first: 2, after: page.asks.pageInfo.endCursor });
    expect(next.asks.edges.map((e) => e.node.title)).toEqual(['First']);
  });

  it('shows NETWORK listings to members only and PUBLIC ones to anyone', async () => {
    const netId = await createNetwork(app, ada, { slug: 'visibility' });
    await postAsk(app, ada, netId, { kind: 'ATTENTION', title: 'Members only' });
    const open = await postAsk(app, ada, netId, { kind: 'ATTENTION', title: 'For everyone', visibility: 'PUBLIC' });
    const anonymous = (await app.execute(NetworkListings, { slug: 'visibility', first: 10 })).data!.network!;
    expect(anonymous.asks.edges.map((e) => e.node.title)).toEqual(['For everyone']);
    const NodeTitle = graphql(`query NodeTitle($id: ID!) { node(id: $id) { ... on Ask { title } } }`);
    expect((await app.execute(NodeTitle, { id: open.id })).data!.node).toEqual({ title: 'For everyone' });
  });
});

describe('closing and expiry', () => {
  it('lets the author close a listing once', async () => {
    const offer = await postOffer(app, grace, networkId, { kind: 'RESOURCES', title: 'Spare ladder' });
    const notYours = await app.execute(CloseListing, { input: { listingId: offer.id } }, { token: ada.token });
    expect(notYours.data!.closeListing.errors[0]?.code).toBe('FORBIDDEN');
    const closed = await app.execute(CloseListing, { input: { listingId: offer.id } }, { token: grace.token });
    expect(closed.data!.closeListing).toEqual({ listing: { __typename: 'Offer', id: offer.id, status: 'CLOSED' }, errors: [] });
    const again = await app.execute(CloseListing, { input: { listingId: offer.id } }, { token: grace.token });
    expect(again.data!.closeListing.errors).toEqual([{ code: 'CONFLICT', message: 'This listing is already closed.', field: ['listingId'] }]);
  });

  it('expires an open listing when its time comes, without anyone reading it', async () => {
    await app.startWorkers();
    const ask = await postAsk(app, grace, networkId, {
      kind: 'ATTENTION',
      title: 'Someone to talk to tonight',
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    const id = localId(ask.id);
    const deadline = Date.now() + 10_000;
    let status = 'OPEN';
    while (status === 'OPEN' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      status = (await app.database.prisma.listing.findUniqueOrThrow({ where: { id } })).status;
    }
    expect(status).toBe('EXPIRED');
    expect(await app.database.prisma.activity.count({ where: { type: 'listing.expired', subjectId: id } })).toBe(1);
  });
});

describe('matching', () => {
  it('ranks the other side by kind, tags, skills and activity, with reasons, never the viewer\'s own', async () => {
    const netId = await createNetwork(app, ada, { slug: 'matching' });
    const [linus, mira, tomas] = [await signUp(app, 'linus'), await signUp(app, 'mira'), await signUp(app, 'tomas')];
    for (const m of [grace, linus, mira, tomas]) await join(app, m, netId);
    await app.execute(UpdateSkills, { input: { skills: ['Brakes'] } }, { token: mira.token });

    const ask = await postAsk(app, grace, netId, { kind: 'SKILLS', title: 'Fix my bike brakes', tags: ['bikes', 'repair'] });
    await postOffer(app, linus, netId, { kind: 'SKILLS', title: 'Bike repair Saturdays', tags: ['bikes', 'repair'] });
    await postOffer(app, mira, netId, { kind: 'KNOWLEDGE', title: 'Ask me about mechanics' });
    await postOffer(app, tomas, netId, { kind: 'RESOURCES', title: 'Soup on Sundays', tags: ['food'] });
    await postOffer(app, grace, netId, { kind: 'SKILLS', title: 'My own offer', tags: ['bikes'] });

    const result = await app.execute(Suggestions, { id: ask.id }, { token: grace.token });
    const matches = result.data!.node && 'suggestedOffers' in result.data!.node ? result.data!.node.suggestedOffers : [];
    expect(matches.map((m) => m.member.handle)).toEqual(['linus', 'mira']);
    expect(matches[0]).toMatchObject({
      offer: { title: 'Bike repair Saturdays' },
      ask: { title: 'Fix my bike brakes' },
      reasons: expect.arrayContaining(['Same kind of contribution: skills', 'Shared tags: bikes, repair']),
    });
    expect(matches[1]!.reasons).toContain('mira lists the skill Brakes');
    expect(matches[0]!.score).toBeGreaterThan(matches[1]!.score);

    const asLinus = await app.execute(Suggestions, { id: ask.id }, { token: linus.token });
    const forLinus = asLinus.data!.node && 'suggestedOffers' in asLinus.data!.node ? asLinus.data!.node.suggestedOffers : [];
    expect(forLinus.map((m) => m.member.handle)).toEqual(['mira']);
  });
});

describe('listingEvents', () => {
  it('tell members about new and changed listings; outsiders get nothing', async () => {
    const events = await subscribe(app, ListingEvents, { networkId }, ada.token);
    await postOffer(app, grace, networkId, { kind: 'CONNECTIONS', title: 'I know the council' });
    expect((await events.next()).data!.listingEvents).toEqual({
      type: 'POSTED',
      listing: { __typename: 'Offer', title: 'I know the council', status: 'OPEN' },
    });
    events.close();
    const outsider = await signUp(app);
    const refused = await subscribe(app, ListingEvents, { networkId }, outsider.token);
    expect((await refused.next()).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    refused.close();
  });

  it('reads what an event needs once for all its subscribers, however many there are', async () => {
    const statementsFor = async (subscribers: number) => {
      const members: TestMember[] = [];
      for (let i = 0; i < subscribers; i++) members.push(await signUp(app));
      for (const member of members) await join(app, member, networkId);
      const title = `Heard by ${subscribers}`;
      const { statements, heard } = await statementsToHear(app, ListingEvents, { networkId }, members.map((m) => m.token), () =>
        postOffer(app, grace, networkId, { kind: 'SKILLS', title }),
      );
      expect(heard.map((result) => result.data?.listingEvents.listing.title)).toEqual(members.map(() => title));
      return statements;
    };
    expect(await statementsFor(8)).toBe(await statementsFor(2));
  });
});

describe('the delivery-time visibility rule', () => {
  it('agrees with the query policy for every kind of reader, listing and network', async () => {
    const db = app.database.prisma;
    const author = randomUUID();
    const readers: { id: string; membership: { status: MembershipStatus } | null }[] = [
      ...(['ACTIVE', 'PENDING', 'LEFT', 'REMOVED'] as const).map((status) => ({ id: randomUUID(), membership: { status } })),
      { id: randomUUID(), membership: null },
      { id: author, membership: { status: 'LEFT' } },
    ];
    const people = readers.map((r) => r.id);
    await db.member.createMany({ data: people.map((id) => ({ id, email: `${id}@example.org`, handle: `l${id.slice(0, 8)}`, displayName: 'Reader', passwordHash: 'x' })) });
    for (const networkVisibility of ['PUBLIC', 'PRIVATE'] as const) {
      const network = await db.network.create({
        data: { slug: `listing-rule-${randomUUID().slice(0, 8)}`, name: 'Rule', purpose: 'Rule', visibility: networkVisibility, joinPolicy: 'OPEN' },
      });
      await db.membership.createMany({
        data: readers.filter((r) => r.membership).map((r) => ({ memberId: r.id, networkId: network.id, status: r.membership!.status })),
      });
      for (const visibility of ['NETWORK', 'PUBLIC'] as const) {
        const listing = await db.listing.create({
          data: { networkId: network.id, authorId: author, type: 'OFFER', kind: 'SKILLS', title: 'A rule', visibility },
          include: { network: { select: { visibility: true } } },
        });
        for (const reader of readers) {
          const byQuery = (await app.services.listings.findVisible(reader.id, listing.id)) !== null;
          const byRule = listingVisibleTo(listing, reader.id, reader.membership);
          expect({ networkVisibility, visibility, reader: reader.membership, author: reader.id === author, seen: byRule }).toEqual({
            networkVisibility,
            visibility,
            reader: reader.membership,
            author: reader.id === author,
            seen: byQuery,
          });
        }
      }
    }
  });
});
