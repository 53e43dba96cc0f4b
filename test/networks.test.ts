import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MembershipRole, MembershipStatus } from '../src/db/generated/prisma/client.js';
import { membershipVisibleTo } from '../src/modules/networks/policy.js';
import { graphql } from './graphql/index.js';
import { createTestApp, type TestApp } from './support/app.js';
import { statementsToHear } from './support/subscriptions.js';
import { ApproveMembership, CreateNetwork, createNetwork, join, JoinNetwork, signUp, type TestMember } from './support/fixtures.js';

const MembershipEvents = graphql(`
  subscription CountedMembershipEvents($networkId: ID!) {
    membershipEvents(networkId: $networkId) { type membership { status member { handle } } }
  }
`);

const DeclineMembership = graphql(`
  mutation DeclineMembership($input: DeclineMembershipInput!) {
    declineMembership(input: $input) {
      membership { id status }
      errors { code message field }
    }
  }
`);

const LeaveNetwork = graphql(`
  mutation LeaveNetwork($input: LeaveNetworkInput!) {
    leaveNetwork(input: $input) {
      membership { id status }
      errors { code message field }
    }
  }
`);

const NetworkBySlug = graphql(`
  query NetworkBySlug($slug: String!) {
    network(slug: $slug) {
      id name purpose visibility joinPolicy
      rules { kind title body version decisionMethod quorum votingPeriodHours }
      goals { title }
      viewerMembership { role status engagementLevel trustLevel }
      members(first: 50) { totalCount edges { node { role status member { handle } } } }
    }
  }
`);

const PendingMembers = graphql(`
  query PendingMembers($slug: String!) {
    network(slug: $slug) {
      members(first: 10, status: PENDING) { totalCount edges { node { id message member { handle } } } }
    }
  }
`);

const Networks = graphql(`
  query Networks($search: String, $first: Int, $after: String) {
    networks(search: $search, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { slug } }
    }
  }
`);

const Node = graphql(`
  query Node($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Network { slug }
      ... on Membership { status }
      ... on Member { handle }
    }
  }
`);

const MemberMemberships = graphql(`
  query MemberMemberships($id: ID!) {
    node(id: $id) {
      ... on Member {
        memberships(first: 10) { totalCount edges { node { network { slug } status } } }
      }
    }
  }
`);

let app: TestApp;
let ada: TestMember;

beforeAll(async () => {
  app = await createTestApp();
  ada = await signUp(app, 'ada');
});
afterAll(() => app.close());

const activityTypes = async (networkId?: string) =>
  (await app.database.prisma.activity.findMany({ orderBy: { id: 'asc' } }))
    .filter((a) => networkId === undefined || a.networkId === networkId)
    .map((a) => a.type);

const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

describe('createNetwork', () => {
  it('makes the creator an active LEADING steward and adopts the first decision rule', async () => {
    const result = await app.execute(
      CreateNetwork,
      {
        input: {
          name: 'Riverside Repair',
          slug: 'Riverside-Repair',
          purpose: 'Fix things together.',
          visibility: 'PUBLIC',
          joinPolicy: 'OPEN',
          decisionMethod: 'SUPERMAJORITY',
          quorum: 0.4,
          votingPeriodHours: 72,
        },
      },
      { token: ada.token },
    );
    expect(result.data!.createNetwork.errors).toEqual([]);
    expect(result.data!.createNetwork.network).toMatchObject({
      slug: 'riverside-repair',
      viewerMembership: { role: 'STEWARD', status: 'ACTIVE', engagementLevel: 'LEADING' },
    });
    const read = await app.execute(NetworkBySlug, { slug: 'riverside-repair' });
    expect(read.data!.network!.rules).toEqual([
      {
        kind: 'DECISION_MAKING',
        title: 'How we decide',
        body: 'Proposals pass with at least two thirds YES among YES and NO votes, when at least 40% of active members vote within 72 hours.',
        version: 1,
        decisionMethod: 'SUPERMAJORITY',
        quorum: 0.4,
        votingPeriodHours: 72,
      },
    ]);
    const networkId = localId(result.data!.createNetwork.network!.id);
    expect(await activityTypes(networkId)).toEqual(['network.created', 'membership.joined']);
  });

  it('refuses a taken slug and bad input with field errors, writing nothing', async () => {
    await createNetwork(app, ada, { slug: 'taken-slug' });
    const before = await app.database.prisma.network.count();
    const taken = await app.execute(
      CreateNetwork,
      {
        input: {
          name: 'Copy',
          slug: 'taken-slug',
          purpose: 'x',
          visibility: 'PUBLIC',
          joinPolicy: 'OPEN',
          decisionMethod: 'MAJORITY',
          quorum: 0.5,
          votingPeriodHours: 24,
        },
      },
      { token: ada.token },
    );
    expect(taken.data!.createNetwork).toEqual({
      network: null,
      errors: [{ code: 'CONFLICT', message: 'This slug is taken.', field: ['slug'] }],
    });
    const bad = await app.execute(
      CreateNetwork,
      {
        input: {
          name: ' ',
          slug: 'no spaces!',
          purpose: 'x',
          visibility: 'PUBLIC',
          joinPolicy: 'OPEN',
          decisionMethod: 'MAJORITY',
          quorum: 1.5,
          votingPeriodHours: 0,
        },
      },
      { token: ada.token },
    );
    expect(bad.data!.createNetwork.errors.map((e) => e.field)).toEqual([['name'], ['slug'], ['quorum'], ['votingPeriodHours']]);
    expect(await app.database.prisma.network.count()).toBe(before);
  });

  it('needs a logged-in member', async () => {
    const result = await app.execute(CreateNetwork, {
      input: {
        name: 'Anon',
        slug: 'anon',
        purpose: 'x',
        visibility: 'PUBLIC',
        joinPolicy: 'OPEN',
        decisionMethod: 'MAJORITY',
        quorum: 0.5,
        votingPeriodHours: 24,
      },
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(result.data).toBeNull();
  });
});

describe('joining', () => {
  it('admits at once to an OPEN network, at OBSERVING, with history and activity', async () => {
    const networkId = await createNetwork(app, ada, { joinPolicy: 'OPEN' });
    const grace = await signUp(app);
    const membership = await join(app, grace, networkId);
    expect(membership).toMatchObject({ status: 'ACTIVE', role: 'MEMBER', engagementLevel: 'OBSERVING' });
    expect(membership.joinedAt).not.toBeNull();
    expect(await activityTypes(localId(networkId))).toEqual(['network.created', 'membership.joined', 'membership.joined']);

    const again = await app.execute(JoinNetwork, { input: { networkId } }, { token: grace.token });
    expect(again.data!.joinNetwork.errors).toEqual([
      { code: 'CONFLICT', message: 'You are already a member of this network.', field: null },
    ]);
  });

  it('keeps APPROVAL requests pending until a steward approves', async () => {
    const networkId = await createNetwork(app, ada, { joinPolicy: 'APPROVAL', slug: 'approval-net' });
    const linus = await signUp(app);
    const request = await app.execute(JoinNetwork, { input: { networkId, message: 'I fix bikes' } }, { token: linus.token });
    const pending = request.data!.joinNetwork.membership!;
    expect(pending).toMatchObject({ status: 'PENDING', joinedAt: null });

    const seenBySteward = await app.execute(PendingMembers, { slug: 'approval-net' }, { token: ada.token });
    expect(seenBySteward.data!.network!.members.edges.map((e) => [e.node.member.handle, e.node.message])).toEqual([
      [linus.handle, 'I fix bikes'],
    ]);

    const approved = await app.execute(ApproveMembership, { input: { membershipId: pending.id } }, { token: ada.token });
    expect(approved.data!.approveMembership.errors).toEqual([]);
    expect(approved.data!.approveMembership.membership).toMatchObject({
      status: 'ACTIVE',
      history: [
        { kind: 'STATUS', from: null, to: 'PENDING', reason: 'Asked to join', actor: { handle: linus.handle } },
        { kind: 'STATUS', from: 'PENDING', to: 'ACTIVE', reason: 'Approved by a steward', actor: { handle: 'ada' } },
      ],
    });
    const twice = await app.execute(ApproveMembership, { input: { membershipId: pending.id } }, { token: ada.token });
    expect(twice.data!.approveMembership.errors[0]?.code).toBe('CONFLICT');
  });

  it('lets a steward decline a request', async () => {
    const networkId = await createNetwork(app, ada, { joinPolicy: 'APPROVAL' });
    const tomas = await signUp(app);
    const pending = await join(app, tomas, networkId);
    const declined = await app.execute(DeclineMembership, { input: { membershipId: pending.id } }, { token: ada.token });
    expect(declined.data!.declineMembership).toEqual({ membership: { id: pending.id, status: 'REMOVED' }, errors: [] });
    const again = await app.execute(JoinNetwork, { input: { networkId } }, { token: tomas.token });
    expect(again.data!.joinNetwork.errors[0]?.code).toBe('FORBIDDEN');
  });

  it('refuses INVITATION networks with a typed error', async () => {
    const networkId = await createNetwork(app, ada, { joinPolicy: 'INVITATION' });
    const mira = await signUp(app);
    const result = await app.execute(JoinNetwork, { input: { networkId } }, { token: mira.token });
    expect(result.data!.joinNetwork).toEqual({
      membership: null,
      errors: [{ code: 'FORBIDDEN', message: 'This network admits members by invitation only.', field: null }],
    });
  });

  it('refuses a malformed network id as bad input', async () => {
    const mira = await signUp(app);
    const result = await app.execute(JoinNetwork, { input: { networkId: 'not-an-id' } }, { token: mira.token });
    expect(result.data!.joinNetwork.errors).toEqual([
      { code: 'BAD_USER_INPUT', message: 'Not a Network ID.', field: ['networkId'] },
    ]);
  });

  it('does not let a member of one network decide on memberships of another', async () => {
    const otherSteward = await signUp(app);
    await createNetwork(app, otherSteward);
    const networkId = await createNetwork(app, ada, { joinPolicy: 'APPROVAL' });
    const member = await signUp(app);
    const admitted = await join(app, member, networkId);
    await app.execute(ApproveMembership, { input: { membershipId: admitted.id } }, { token: ada.token });
    const applicant = await signUp(app);
    const pending = await join(app, applicant, networkId);
    for (const outsider of [otherSteward, member]) {
      const result = await app.execute(ApproveMembership, { input: { membershipId: pending.id } }, { token: outsider.token });
      expect(result.data!.approveMembership).toEqual({
        membership: null,
        errors: [{ code: 'NOT_FOUND', message: 'No such membership.', field: ['membershipId'] }],
      });
    }
    const self = await app.execute(ApproveMembership, { input: { membershipId: pending.id } }, { token: applicant.token });
    expect(self.data!.approveMembership.errors).toEqual([
      { code: 'FORBIDDEN', message: 'Only stewards of this network can decide on memberships.', field: null },
    ]);
    const row = await app.database.prisma.membership.findUniqueOrThrow({ where: { id: localId(pending.id) } });
    expect(row.status).toBe('PENDING');
  });
});

describe('leaving', () => {
  it('ends a membership; the only steward must hand over first; leavers can rejoin', async () => {
    const networkId = await createNetwork(app, ada);
    const grace = await signUp(app);
    await join(app, grace, networkId);
    const stuck = await app.execute(LeaveNetwork, { input: { networkId } }, { token: ada.token });
    expect(stuck.data!.leaveNetwork.errors).toEqual([
      { code: 'CONFLICT', message: 'You are the only steward: make another member a steward before leaving.', field: null },
    ]);
    const left = await app.execute(LeaveNetwork, { input: { networkId } }, { token: grace.token });
    expect(left.data!.leaveNetwork.membership?.status).toBe('LEFT');
    expect((await app.execute(LeaveNetwork, { input: { networkId } }, { token: grace.token })).data!.leaveNetwork.errors[0]?.code).toBe(
      'CONFLICT',
    );
    expect((await join(app, grace, networkId)).status).toBe('ACTIVE');
  });
});

describe('private networks', () => {
  let insider: TestMember;
  let outsider: TestMember;
  let networkId: string;
  let membershipId: string;

  beforeAll(async () => {
    insider = await signUp(app, 'insider');
    outsider = await signUp(app, 'outsider');
    networkId = await createNetwork(app, insider, { visibility: 'PRIVATE', slug: 'secret-circle' });
    const membership = await app.database.prisma.membership.findFirstOrThrow({ where: { networkId: localId(networkId) } });
    membershipId = Buffer.from(`Membership:${membership.id}`).toString('base64');
  });

  it('are invisible to outsiders and anonymous viewers through every path', async () => {
    for (const token of [outsider.token, null]) {
      expect((await app.execute(NetworkBySlug, { slug: 'secret-circle' }, { token })).data!.network).toBeNull();
      const list = await app.execute(Networks, { search: 'secret', first: 10 }, { token });
      expect(list.data!.networks).toMatchObject({ totalCount: 0, edges: [] });
      expect((await app.execute(Node, { id: networkId }, { token })).data!.node).toBeNull();
      expect((await app.execute(Node, { id: membershipId }, { token })).data!.node).toBeNull();
      expect((await app.execute(Node, { id: insider.id }, { token })).data!.node).toBeNull();
      const join = await app.execute(JoinNetwork, { input: { networkId } }, { token });
      if (token) expect(join.data!.joinNetwork.errors[0]?.code).toBe('NOT_FOUND');
    }
  });

  it('are visible to their members, with their members', async () => {
    const read = await app.execute(NetworkBySlug, { slug: 'secret-circle' }, { token: insider.token });
    expect(read.data!.network).toMatchObject({
      visibility: 'PRIVATE',
      viewerMembership: { role: 'STEWARD' },
      members: { totalCount: 1, edges: [{ node: { member: { handle: 'insider' } } }] },
    });
    expect((await app.execute(Node, { id: networkId }, { token: insider.token })).data!.node).toMatchObject({
      __typename: 'Network',
      slug: 'secret-circle',
    });
    const memberships = await app.execute(MemberMemberships, { id: insider.id }, { token: insider.token });
    expect(memberships.data!.node).toMatchObject({ memberships: { totalCount: 1 } });
  });

  it('do not show up in a member\'s memberships to others', async () => {
    const shared = await createNetwork(app, insider, { slug: 'open-to-all' });
    await join(app, outsider, shared);
    const seen = await app.execute(MemberMemberships, { id: insider.id }, { token: outsider.token });
    expect(seen.data!.node).toEqual({
      memberships: { totalCount: 1, edges: [{ node: { network: { slug: 'open-to-all' }, status: 'ACTIVE' } }] },
    });
  });
});

describe('networks', () => {
  it('pages through visible networks by name with a total count', async () => {
    const first = await app.execute(Networks, { first: 2 });
    const total = first.data!.networks.totalCount;
    expect(total).toBeGreaterThan(3);
    expect(first.data!.networks.edges).toHaveLength(2);
    const rest = await app.execute(Networks, { first: 100, after: first.data!.networks.pageInfo.endCursor });
    const slugs = [...first.data!.networks.edges, ...rest.data!.networks.edges].map((e) => e.node.slug);
    expect(slugs).toHaveLength(total);
    expect(new Set(slugs).size).toBe(total);
    expect((await app.execute(Networks, { search: 'RIVERSIDE', first: 5 })).data!.networks.edges).toEqual([
      { node: { slug: 'riverside-repair' } },
    ]);
  });

  it('reads networks with their members in a number of SQL statements that does not grow with the members', async () => {
    const NetworksWithMembers = graphql(`
      query NetworksWithMembers {
        networks(first: 20) { edges { node { name members(first: 50) { edges { node { role member { handle displayName } } } } } } }
      }
    `);
    const steward = await signUp(app);
    const networkId = await createNetwork(app, steward, { slug: 'growing' });
    const measure = () => app.countStatements(() => app.execute(NetworksWithMembers, {}, { token: steward.token }));
    const small = await measure();
    for (let i = 0; i < 8; i++) await join(app, await signUp(app), networkId);
    const large = await measure();
    expect(large).toBe(small);
    expect(small).toBeLessThanOrEqual(6);
  });
});

describe('the delivery-time visibility rule for memberships', () => {
  it('agrees with the query policy for every kind of reader, membership and network', async () => {
    const db = app.database.prisma;
    const statuses = ['ACTIVE', 'PENDING', 'LEFT', 'REMOVED'] as const;
    const readers: { id: string; own: { status: MembershipStatus; role: MembershipRole } | null }[] = [
      ...statuses.flatMap((status) => (['MEMBER', 'STEWARD'] as const).map((role) => ({ id: randomUUID(), own: { status, role } }))),
      { id: randomUUID(), own: null },
    ];
    const subjects = statuses.map((status) => ({ id: randomUUID(), status }));
    const people = [...readers.map((r) => r.id), ...subjects.map((s) => s.id)];
    await db.member.createMany({ data: people.map((id) => ({ id, email: `${id}@example.org`, handle: `m${id.slice(0, 8)}`, displayName: 'Reader', passwordHash: 'x' })) });
    for (const visibility of ['PUBLIC', 'PRIVATE'] as const) {
      const network = await db.network.create({
        data: { slug: `membership-rule-${randomUUID().slice(0, 8)}`, name: 'Rule', purpose: 'Rule', visibility, joinPolicy: 'OPEN' },
      });
      await db.membership.createMany({
        data: [
          ...readers.filter((r) => r.own).map((r) => ({ memberId: r.id, networkId: network.id, ...r.own! })),
          ...subjects.map((subject) => ({ memberId: subject.id, networkId: network.id, status: subject.status })),
        ],
      });
      const memberships = await db.membership.findMany({ where: { networkId: network.id }, include: { network: { select: { visibility: true } } } });
      for (const membership of memberships) {
        for (const reader of readers) {
          const byQuery = (await app.services.networks.findVisibleMembership(reader.id, membership.id)) !== null;
          const byRule = membershipVisibleTo(membership, reader.id, reader.own);
          const own = membership.memberId === reader.id;
          expect({ visibility, status: membership.status, own, reader: reader.own, seen: byRule }).toEqual({
            visibility,
            status: membership.status,
            own,
            reader: reader.own,
            seen: byQuery,
          });
        }
      }
    }
  });
});

describe('membershipEvents', () => {
  it('reads what an event needs once for all its subscribers, however many there are', async () => {
    const steward = await signUp(app);
    const networkId = await createNetwork(app, steward);
    const statementsFor = async (subscribers: number) => {
      const members: TestMember[] = [];
      for (let i = 0; i < subscribers; i++) members.push(await signUp(app));
      for (const member of members) await join(app, member, networkId);
      const newcomer = await signUp(app);
      const { statements, heard } = await statementsToHear(app, MembershipEvents, { networkId }, [steward, ...members].map((m) => m.token), () =>
        join(app, newcomer, networkId),
      );
      expect(heard.map((result) => result.data?.membershipEvents.membership.member.handle)).toEqual([steward, ...members].map(() => newcomer.handle));
      return statements;
    };
    expect(await statementsFor(8)).toBe(await statementsFor(2));
  });
});
