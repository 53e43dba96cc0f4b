import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { buildSchema, getNamedType, getNullableType, isLeafType, isListType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../graphql/index.js';
import { createTestApp, type TestApp } from '../support/app.js';

// SQL statements per operation for every list and connection field a client can reach,
// read at two sizes of data (the second ten times the first): the counts must be equal,
// so no field loads its rows (or their nested objects) one parent at a time, and small.
// A list field added to the schema fails the last test until it is measured here or
// excluded with a reason.

// --- The data, written straight to the database -------------------------------------------

type World = {
  steward: { id: string; token: string };
  networks: { id: string; slug: string; decisionVersionId: string }[];
  /** Listings in the first network whose suggestions are read. */
  ask: string;
  offer: string;
};

const DAY = 86_400_000;
const sha256 = (token: string) => createHash('sha256').update(token).digest();
const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const ordered = (x: string, y: string) => (x < y ? [x, y] : [y, x]) as [string, string];

let app: TestApp;
let world: World;
let units = 0;

async function createWorld(): Promise<World> {
  const db = app.database.prisma;
  const id = randomUUID();
  const token = `tb_${randomBytes(32).toString('base64url')}`;
  await db.member.create({
    data: { id, email: 'steward@example.org', handle: 'steward', displayName: 'Steward', passwordHash: 'not used', skills: ['repair'] },
  });
  await db.session.create({ data: { memberId: id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + 30 * DAY) } });
  return { steward: { id, token }, networks: [], ask: '', offer: '' };
}

/** A network the steward runs, with its first decision rule, as createNetwork leaves it. */
async function addNetwork(visibility: 'PUBLIC' | 'PRIVATE') {
  const db = app.database.prisma;
  const slug = `counted-${world.networks.length + 1}`;
  const network = await db.network.create({
    data: { slug, name: `Counted ${world.networks.length + 1}`, purpose: 'Counting.', visibility, joinPolicy: 'OPEN', createdById: world.steward.id },
  });
  await db.membership.create({
    data: { memberId: world.steward.id, networkId: network.id, role: 'STEWARD', status: 'ACTIVE', engagementLevel: 'LEADING', joinedAt: new Date() },
  });
  const rule = await db.rule.create({
    data: {
      networkId: network.id,
      kind: 'DECISION_MAKING',
      title: 'How we decide',
      body: 'Majority.',
      decisionMethod: 'MAJORITY',
      quorum: 0.5,
      votingPeriodHours: 48,
      versions: { create: { version: 1, title: 'How we decide', body: 'Majority.', decisionMethod: 'MAJORITY', quorum: 0.5, votingPeriodHours: 48 } },
    },
    include: { versions: true },
  });
  world.networks.push({ id: network.id, slug, decisionVersionId: rule.versions[0]!.id });
}

/**
 * One unit of life in a network: two members who joined, each with an ask and an offer,
 * a completed exchange between them (ledger, tie), a meetup they attended, a vouch, skill
 * endorsements, an introduction, a rule with two versions, a goal, a decided and an open
 * proposal with ballots, activity, an API token and a webhook with deliveries and attempts.
 */
async function addUnit(network: World['networks'][number]) {
  const db = app.database.prisma;
  const s = world.steward.id;
  const u = ++units;
  const now = new Date();
  const [a, b] = [randomUUID(), randomUUID()];
  await db.member.createMany({
    data: [a, b].map((memberId, i) => ({
      id: memberId,
      email: `u${u}-${i}@example.org`,
      handle: `u${u}_${i}`,
      displayName: `Unit ${u} member ${i}`,
      passwordHash: 'not used',
      skills: ['repair', 'cooking'],
    })),
  });
  const memberships = [randomUUID(), randomUUID()];
  await db.membership.createMany({
    data: [a, b].map((memberId, i) => ({ id: memberships[i]!, memberId, networkId: network.id, status: 'ACTIVE' as const, joinedAt: now })),
  });
  await db.membershipChange.createMany({
    data: memberships.flatMap((membershipId, i) => [
      { membershipId, kind: 'STATUS' as const, toValue: 'ACTIVE', reason: 'Joined.', actorId: [a, b][i]! },
      { membershipId, kind: 'ENGAGEMENT_LEVEL' as const, fromValue: 'OBSERVING', toValue: 'OBSERVING', reason: 'Confirmed.', actorId: s },
    ]),
  });

  const [ask, offer, metAsk, metOffer] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const listing = (id: string, authorId: string, type: 'ASK' | 'OFFER', status: 'OPEN' | 'FULFILLED') => ({
    id,
    networkId: network.id,
    authorId,
    type,
    kind: 'SKILLS' as const,
    title: `${type} of unit ${u}`,
    tags: ['repair', `unit${u}`],
    status,
  });
  await db.listing.createMany({
    data: [
      listing(ask, a, 'ASK', 'OPEN'),
      listing(offer, b, 'OFFER', 'OPEN'),
      listing(metAsk, a, 'ASK', 'FULFILLED'),
      listing(metOffer, b, 'OFFER', 'FULFILLED'),
    ],
  });
  if (!world.ask) [world.ask, world.offer] = [ask, offer];
  await db.exchange.create({
    data: {
      networkId: network.id,
      giverId: b,
      receiverId: a,
      proposerId: a,
      askId: metAsk,
      offerId: metOffer,
      kind: 'SKILLS',
      measure: 2,
      measureUnit: 'HOURS',
      status: 'COMPLETED',
      visibility: u % 2 ? 'PARTIES' : 'NETWORK',
      respondedAt: now,
      completedAt: now,
      giverConfirmedAt: now,
      receiverConfirmedAt: now,
    },
  });
  await db.ledgerEntry.createMany({
    data: [
      { networkId: network.id, memberId: b, kind: 'SKILLS' as const, givenCount: 1, givenHours: 2 },
      { networkId: network.id, memberId: a, kind: 'SKILLS' as const, receivedCount: 1, receivedHours: 2 },
    ],
  });
  // A strong recent tie between the two, a strong one with the steward gone quiet
  // (cooling), and a weak one.
  const tie = (x: string, y: string, strength: number, daysAgo: number, extra = {}) => {
    const [memberAId, memberBId] = ordered(x, y);
    const at = new Date(now.getTime() - daysAgo * DAY);
    return { networkId: network.id, memberAId, memberBId, strength, firstInteractionAt: at, lastInteractionAt: at, ...extra };
  };
  await db.tie.createMany({
    data: [
      tie(a, b, 0.8, 1, { meetupsTogether: 1, exchangesAToB: 1, vouchAToB: true }),
      tie(a, s, 0.7, 100, { meetupsTogether: 3 }),
      tie(b, s, 0.2, 2, { introductionsAccepted: 1 }),
    ],
  });

  const meetup = await db.meetup.create({
    data: {
      networkId: network.id,
      organizerId: a,
      title: `Repair café ${u}`,
      place: 'Community hall',
      startsAt: new Date(now.getTime() - DAY),
      endsAt: new Date(now.getTime() - DAY + 2 * 3_600_000),
      capacity: 10,
      attendanceCode: 'ABC123',
    },
  });
  await db.rsvp.createMany({
    data: [
      { meetupId: meetup.id, memberId: a, response: 'GOING' as const },
      { meetupId: meetup.id, memberId: b, response: 'GOING' as const },
      { meetupId: meetup.id, memberId: s, response: 'MAYBE' as const },
    ],
  });
  await db.attendance.createMany({
    data: [a, b].map((memberId) => ({ meetupId: meetup.id, memberId, method: 'RECORDED' as const, recordedById: a })),
  });
  await db.vouch.create({ data: { networkId: network.id, voucherId: a, voucheeId: b, context: 'We fixed bikes together.' } });
  await db.skillEndorsement.createMany({
    data: [
      { networkId: network.id, endorserId: b, memberId: a, skill: 'repair' },
      { networkId: network.id, endorserId: s, memberId: a, skill: 'cooking' },
    ],
  });
  await db.introduction.create({
    data: { networkId: network.id, connectorId: s, memberAId: a, memberBId: b, note: 'You both fix things.', responseA: 'ACCEPTED', exchangedAt: now },
  });

  const rule = await db.rule.create({
    data: {
      networkId: network.id,
      kind: 'CONDUCT',
      title: `Conduct ${u}`,
      body: 'Be kind, always.',
      version: 2,
      versions: {
        create: [
          { version: 1, title: `Conduct ${u}`, body: 'Be kind.' },
          { version: 2, title: `Conduct ${u}`, body: 'Be kind, always.' },
        ],
      },
    },
  });
  const goal = await db.goal.create({ data: { networkId: network.id, title: `Goal ${u}`, status: 'ACTIVE' } });
  const proposal = (status: 'PASSED' | 'OPEN') => ({
    networkId: network.id,
    proposerId: a,
    title: `${status} proposal of unit ${u}`,
    body: 'Because it helps.',
    action: 'REMOVE_MEMBER' as const,
    subjectMemberId: b,
    ruleId: rule.id,
    goalId: goal.id,
    status,
    decisionRuleVersionId: network.decisionVersionId,
    eligibleCount: 3,
    closesAt: new Date(now.getTime() + (status === 'OPEN' ? DAY : -DAY)),
    closedAt: status === 'OPEN' ? null : now,
    yesCount: 1,
    noCount: 1,
  });
  for (const status of ['PASSED', 'OPEN'] as const) {
    const { id: proposalId } = await db.proposal.create({ data: proposal(status) });
    await db.ballot.createMany({
      data: [
        { proposalId, memberId: a, choice: 'YES' as const, reason: 'Yes.', castAt: now },
        { proposalId, memberId: b, choice: 'NO' as const, reason: 'No.', castAt: now },
        { proposalId, memberId: s },
      ],
    });
  }

  const activities = await db.activity.createManyAndReturn({
    data: [
      { type: 'listing.posted', networkId: network.id, actorId: a, subjectId: ask },
      { type: 'exchange.completed', networkId: network.id, actorId: b },
      { type: 'meetup.scheduled', networkId: network.id, actorId: a, subjectId: meetup.id },
    ],
    select: { id: true },
  });
  await db.apiToken.create({
    data: { networkId: network.id, name: `Token ${u}`, scopes: ['READ'], tokenHash: sha256(randomUUID()), createdById: s },
  });
  const webhook = await db.webhook.create({
    data: { networkId: network.id, url: `https://example.org/hooks/${u}`, events: ['*'], secret: 'secret', createdById: s },
  });
  for (const activity of activities.slice(0, 2)) {
    await db.webhookDelivery.create({
      data: {
        webhookId: webhook.id,
        activityId: activity.id,
        status: 'FAILED',
        attemptCount: 2,
        attempts: { create: [{ statusCode: 500, latencyMs: 40 }, { statusCode: null, latencyMs: 10_000, error: 'timeout' }] },
      },
    });
  }
}

// --- The operations ---------------------------------------------------------------------

const Networks = graphql(`
  query CountNetworks {
    networks(first: 50) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id slug name visibility viewerMembership { role status } } }
    }
  }
`);

const NetworkMembers = graphql(`
  query CountNetworkMembers {
    networks(first: 50) {
      edges {
        node {
          members(first: 100) {
            totalCount
            edges { node { id role status engagementLevel trustLevel joinedAt message member { id handle displayName } network { slug } } }
          }
        }
      }
    }
  }
`);

const NetworkAsks = graphql(`
  query CountNetworkAsks {
    networks(first: 50) {
      edges {
        node {
          asks(first: 100) { totalCount edges { node { id title kind tags status author { handle displayName } network { slug } } } }
        }
      }
    }
  }
`);

const NetworkOffers = graphql(`
  query CountNetworkOffers {
    networks(first: 50) {
      edges {
        node {
          offers(first: 100) { totalCount edges { node { id title kind tags status author { handle displayName } network { slug } } } }
        }
      }
    }
  }
`);

const NetworkExchanges = graphql(`
  query CountNetworkExchanges {
    networks(first: 50) {
      edges {
        node {
          exchanges(first: 100) {
            totalCount
            edges {
              node {
                id status kind measure
                giver { handle } receiver { handle } proposer { handle }
                ask { title author { handle } } offer { title author { handle } }
                network { slug }
              }
            }
          }
        }
      }
    }
  }
`);

const NetworkMeetups = graphql(`
  query CountNetworkMeetups {
    networks(first: 50) {
      edges {
        node {
          meetups(first: 100) {
            totalCount
            edges { node { id title startsAt capacity goingCount attendanceCode organizer { handle } network { slug } } }
          }
        }
      }
    }
  }
`);

const MeetupRsvps = graphql(`
  query CountMeetupRsvps {
    networks(first: 50) {
      edges { node { meetups(first: 100) { edges { node { id rsvps { response waitlisted updatedAt member { handle } } } } } } }
    }
  }
`);

const MeetupAttendees = graphql(`
  query CountMeetupAttendees {
    networks(first: 50) {
      edges { node { meetups(first: 100) { edges { node { id attendees { handle displayName } } } } } }
    }
  }
`);

const NetworkProposals = graphql(`
  query CountNetworkProposals {
    networks(first: 50) {
      edges {
        node {
          proposals(first: 100) {
            totalCount
            edges {
              node {
                id title status action closesAt
                proposer { handle } member { handle } rule { title } goal { title } network { slug }
                decisionRule { version decisionMethod }
                tally { yes no eligible votesCast quorumNeeded quorumMet final }
                viewerVote { choice member { handle } }
              }
            }
          }
        }
      }
    }
  }
`);

const ProposalVotes = graphql(`
  query CountProposalVotes {
    networks(first: 50) {
      edges { node { proposals(first: 100) { edges { node { id status votes { choice reason castAt member { handle } } } } } } }
    }
  }
`);

const NetworkGoals = graphql(`
  query CountNetworkGoals {
    networks(first: 50) { edges { node { goals { id title status createdAt network { slug } } } } }
  }
`);

const NetworkRules = graphql(`
  query CountNetworkRules {
    networks(first: 50) { edges { node { rules { id kind title body version network { slug } } } } }
  }
`);

const RuleVersions = graphql(`
  query CountRuleVersions {
    networks(first: 50) { edges { node { rules { id versions { version title body decisionMethod } } } } }
  }
`);

const NetworkApiTokens = graphql(`
  query CountNetworkApiTokens {
    networks(first: 50) { edges { node { apiTokens { id name scopes lastUsedAt revokedAt createdBy { handle } } } } }
  }
`);

const NetworkWebhooks = graphql(`
  query CountNetworkWebhooks {
    networks(first: 50) { edges { node { webhooks { id url events failingSince disabledAt } } } }
  }
`);

const WebhookDeliveries = graphql(`
  query CountWebhookDeliveries {
    networks(first: 50) {
      edges {
        node {
          webhooks {
            id
            deliveries(first: 100) { totalCount edges { node { id eventId eventType status attemptCount lastAttemptAt } } }
          }
        }
      }
    }
  }
`);

const DeliveryAttempts = graphql(`
  query CountDeliveryAttempts {
    networks(first: 50) {
      edges { node { webhooks { deliveries(first: 100) { edges { node { id attempts { at statusCode latencyMs error } } } } } } }
    }
  }
`);

const NetworkTrustThresholds = graphql(`
  query CountNetworkTrustThresholds {
    networks(first: 50) { edges { node { trustThresholds { level meetupsAttended distinctMembersMet vouchesFromTrusted tenureDays } } } }
  }
`);

const NetworkActivity = graphql(`
  query CountNetworkActivity($slug: String!) {
    network(slug: $slug) {
      activity(first: 100) { totalCount edges { cursor node { id type at subjectId actor { handle } } } }
    }
  }
`);

const EngagementPortfolio = graphql(`
  query CountEngagementPortfolio($slug: String!) {
    network(slug: $slug) {
      engagementPortfolio {
        strongTies weakTies
        levels { level count }
        readyToMoveUp { reason suggestedLevel membership { id engagementLevel member { handle displayName } } }
        coolingTies { strength peakStrength lastInteractionAt memberA { handle } memberB { handle } }
      }
    }
  }
`);

const NetworkMap = graphql(`
  query CountNetworkMap($slug: String!) {
    network(slug: $slug) {
      map { computedAt nodes { cluster engagementLevel member { handle displayName } } edges { source target strength } }
    }
  }
`);

const NetworkConnectors = graphql(`
  query CountNetworkConnectors($slug: String!) {
    network(slug: $slug) { connectors(first: 100) { score reasons member { handle displayName } } }
  }
`);

const NetworkReciprocity = graphql(`
  query CountNetworkReciprocity($slug: String!) {
    network(slug: $slug) {
      reciprocity { totals { kind count hours units } membersWhoOnlyGive { handle } membersWhoOnlyReceive { handle } }
    }
  }
`);

const MemberMemberships = graphql(`
  query CountMemberMemberships($slug: String!) {
    network(slug: $slug) {
      members(first: 100) {
        edges { node { member { handle memberships(first: 20) { totalCount edges { node { role status network { slug } } } } } } }
      }
    }
  }
`);

const MemberEndorsements = graphql(`
  query CountMemberEndorsements($slug: String!) {
    network(slug: $slug) {
      members(first: 100) { edges { node { member { handle endorsements { skill createdAt endorser { handle } member { handle } } } } } }
    }
  }
`);

const MemberTies = graphql(`
  query CountMemberTies($slug: String!, $networkId: ID!) {
    network(slug: $slug) {
      members(first: 100) {
        edges {
          node {
            member {
              handle
              ties(networkId: $networkId, first: 100) {
                strength strong meetupsTogether exchangesGiven exchangesReceived vouched lastInteractionAt member { handle }
              }
            }
          }
        }
      }
    }
  }
`);

const MemberReciprocity = graphql(`
  query CountMemberReciprocity($slug: String!, $networkId: ID!) {
    network(slug: $slug) {
      members(first: 100) {
        edges {
          node {
            member {
              handle
              reciprocity(networkId: $networkId) { totalGiven totalReceived given { kind count hours } received { kind count hours } }
            }
          }
        }
      }
    }
  }
`);

const MembershipHistory = graphql(`
  query CountMembershipHistory($slug: String!) {
    network(slug: $slug) {
      members(first: 100) { edges { node { id suggestedEngagementLevel history { kind from to reason at actor { handle } } } } }
    }
  }
`);

const AskSuggestions = graphql(`
  query CountAskSuggestions($id: ID!) {
    node(id: $id) {
      ... on Ask { suggestedOffers(first: 50) { score reasons member { handle } offer { title author { handle } } ask { title } } }
    }
  }
`);

const OfferSuggestions = graphql(`
  query CountOfferSuggestions($id: ID!) {
    node(id: $id) {
      ... on Offer { suggestedAsks(first: 50) { score reasons member { handle } ask { title author { handle } } offer { title } } }
    }
  }
`);

const ViewerMemberships = graphql(`
  query CountViewerMemberships {
    viewer {
      handle
      memberships(first: 50) { totalCount edges { node { id role status network { slug name viewerMembership { role } } } } }
    }
  }
`);

type Operation = {
  name: string;
  /** The statements it takes (the same at both sizes): more fails, fewer is welcome. */
  bound: number;
  run(): Promise<unknown>;
};

/** An operation read by the steward of every network, who may see everything in them. */
function operation<Result, Variables>(document: TypedDocumentNode<Result, Variables>, bound: number, variables: () => Variables): Operation {
  const definition = (document as unknown as { definitions: { name?: { value: string } }[] }).definitions[0];
  const name = definition?.name?.value ?? 'anonymous';
  return {
    name,
    bound,
    async run() {
      const result = await app.execute(document, variables(), { token: world.steward.token });
      expect(result.errors, name).toBeUndefined();
      return result.data;
    },
  };
}

const first = () => world.networks[0]!;
const none = () => ({}) as never;
const inFirst = () => ({ slug: first().slug });
const inFirstById = () => ({ slug: first().slug, networkId: globalId('Network', first().id) });

// The bounds are the counts measured on the embedded database and on PostgreSQL (they agree),
// with relation joins: each list of relations reads in one statement.
const op = {
  networks: operation(Networks, 4, none),
  viewerMemberships: operation(ViewerMemberships, 3, none),
  members: operation(NetworkMembers, 3, none),
  asks: operation(NetworkAsks, 2, none),
  offers: operation(NetworkOffers, 2, none),
  exchanges: operation(NetworkExchanges, 3, none),
  meetups: operation(NetworkMeetups, 3, none),
  rsvps: operation(MeetupRsvps, 2, none),
  attendees: operation(MeetupAttendees, 2, none),
  proposals: operation(NetworkProposals, 3, none),
  votes: operation(ProposalVotes, 2, none),
  goals: operation(NetworkGoals, 2, none),
  rules: operation(NetworkRules, 2, none),
  ruleVersions: operation(RuleVersions, 2, none),
  apiTokens: operation(NetworkApiTokens, 2, none),
  webhooks: operation(NetworkWebhooks, 2, none),
  deliveries: operation(WebhookDeliveries, 2, none),
  attempts: operation(DeliveryAttempts, 2, none),
  trustThresholds: operation(NetworkTrustThresholds, 3, none),
  memberships: operation(MemberMemberships, 2, inFirst),
  endorsements: operation(MemberEndorsements, 2, inFirst),
  ties: operation(MemberTies, 5, inFirstById),
  memberReciprocity: operation(MemberReciprocity, 4, inFirstById),
  // suggestedEngagementLevel: nine aggregates per network, whatever its size.
  history: operation(MembershipHistory, 12, inFirst),
  activity: operation(NetworkActivity, 6, inFirst),
  portfolio: operation(EngagementPortfolio, 16, inFirst),
  map: operation(NetworkMap, 7, inFirst),
  connectors: operation(NetworkConnectors, 6, inFirst),
  reciprocity: operation(NetworkReciprocity, 6, inFirst),
  // The suggestions' listings and the listing asked about are read again, each with what
  // the query selects of it: one statement each, however many matches.
  suggestedOffers: operation(AskSuggestions, 9, () => ({ id: globalId('Ask', world.ask) })),
  suggestedAsks: operation(OfferSuggestions, 9, () => ({ id: globalId('Offer', world.offer) })),
};

/**
 * Every list or connection field a client can reach, and the operations that measure it.
 * A list nested in rows is read under a list of those rows (networks, members, meetups,
 * proposals, rules, webhooks, deliveries), so loading it once per parent would show.
 */
const COVERED: Record<string, Operation[]> = {
  'Query.networks': [op.networks],
  'Network.members': [op.members],
  'Network.asks': [op.asks],
  'Network.offers': [op.offers],
  'Network.exchanges': [op.exchanges],
  'Network.meetups': [op.meetups],
  'Network.proposals': [op.proposals],
  'Network.goals': [op.goals],
  'Network.rules': [op.rules],
  'Network.apiTokens': [op.apiTokens],
  'Network.webhooks': [op.webhooks],
  'Network.trustThresholds': [op.trustThresholds],
  'Meetup.rsvps': [op.rsvps],
  'Meetup.attendees': [op.attendees],
  'Proposal.votes': [op.votes],
  'Rule.versions': [op.ruleVersions],
  'Webhook.deliveries': [op.deliveries],
  'WebhookDelivery.attempts': [op.attempts],
  'Member.memberships': [op.memberships, op.viewerMemberships],
  'Member.endorsements': [op.endorsements],
  'Member.ties': [op.ties],
  'Reciprocity.given': [op.memberReciprocity],
  'Reciprocity.received': [op.memberReciprocity],
  'Membership.history': [op.history],
  // Steward views computed over a whole network (FORBIDDEN, or null, for anyone else):
  // read for one network, as the dashboard does, while its members, ties, exchanges and
  // activity grow tenfold.
  'Network.activity': [op.activity],
  'EngagementPortfolio.levels': [op.portfolio],
  'EngagementPortfolio.readyToMoveUp': [op.portfolio],
  'EngagementPortfolio.coolingTies': [op.portfolio],
  'NetworkMap.nodes': [op.map],
  'NetworkMap.edges': [op.map],
  'Network.connectors': [op.connectors],
  'NetworkReciprocity.totals': [op.reciprocity],
  'NetworkReciprocity.membersWhoOnlyGive': [op.reciprocity],
  'NetworkReciprocity.membersWhoOnlyReceive': [op.reciprocity],
  // Matching scores up to 200 candidates for one listing: read for one listing, as the
  // portal's matches panel does, while the candidates grow tenfold.
  'Ask.suggestedOffers': [op.suggestedOffers],
  'Offer.suggestedAsks': [op.suggestedAsks],
};

/** Lists of scalars, read with their row, and why they need no count of their own. */
const EXCLUDED: Record<string, string> = {
  'Ask.tags': 'a column of the listing row',
  'Offer.tags': 'a column of the listing row',
  'Member.skills': 'a column of the member row',
  'ApiToken.scopes': 'a column of the token row',
  'Webhook.events': 'a column of the webhook row',
  'Match.reasons': 'computed in memory with the match',
  'Connector.reasons': 'computed in memory with the connector',
  'UserError.field': 'the input path of an error, built in memory',
};
/** Fields left out by their name, and why. */
const EXCLUDED_PATTERNS: [RegExp, string][] = [[/^\w+Payload\.errors$/, "a mutation payload's typed errors, built in memory"]];

/** Covered lists whose length does not depend on the data, and why. */
const FIXED_LENGTH: Record<string, string> = {
  'EngagementPortfolio.levels': 'one entry per engagement level',
  'NetworkReciprocity.totals': 'one entry per contribution kind',
};

// --- Measuring -------------------------------------------------------------------------------

/** How many items the lists (or connections) under `key` hold, anywhere in a response. */
function itemsUnder(value: unknown, key: string): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + itemsUnder(v, key), 0);
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  for (const [k, v] of Object.entries(value)) {
    if (k === key) {
      if (Array.isArray(v)) n += v.length;
      else if (v && typeof v === 'object' && Array.isArray((v as { edges?: unknown[] }).edges)) n += (v as { edges: unknown[] }).edges.length;
    }
    n += itemsUnder(v, key);
  }
  return n;
}

type Measured = { statements: string[]; data: unknown };

async function measureAll(): Promise<Map<Operation, Measured>> {
  const results = new Map<Operation, Measured>();
  for (const operation of Object.values(op)) {
    // A first read fills what is kept across requests (the trust graph); the second counts.
    await operation.run();
    let data: unknown;
    await app.countStatements(async () => {
      data = await operation.run();
    });
    results.set(operation, { statements: [...app.statements], data });
  }
  return results;
}

let small: Map<Operation, Measured>;
let large: Map<Operation, Measured>;

beforeAll(async () => {
  app = await createTestApp();
  world = await createWorld();
  await addNetwork('PUBLIC');
  await addNetwork('PRIVATE');
  for (const network of world.networks) await addUnit(network);
  small = await measureAll();
  // Ten times the data: nine more units in each of the two networks, and eighteen more
  // networks of one unit each.
  for (const network of [...world.networks]) for (let i = 0; i < 9; i++) await addUnit(network);
  for (let i = 0; i < 18; i++) {
    await addNetwork(i % 2 ? 'PRIVATE' : 'PUBLIC');
    await addUnit(world.networks.at(-1)!);
  }
  large = await measureAll();
  if (process.env.PRINT_STATEMENT_COUNTS) {
    console.table(Object.fromEntries(Object.values(op).map((o) => [o.name, { small: small.get(o)!.statements.length, large: large.get(o)!.statements.length }])));
  }
}, 120_000);

afterAll(() => app?.close());

describe('SQL statements per operation', () => {
  it.each(Object.values(op))('$name: the same with ten times the data, and within its bound', (operation) => {
    const [before, after] = [small.get(operation)!.statements, large.get(operation)!.statements];
    const sent = after.map((sql) => `  ${sql.slice(0, 200)}`).join('\n');
    expect(after.length, `${before.length} statements, then ${after.length}:\n${sent}`).toBe(before.length);
    expect(after.length, `more than ${operation.bound} statements:\n${sent}`).toBeLessThanOrEqual(operation.bound);
  });

  // Members, memberships, listings and exchanges load only the columns their selected
  // fields need (plugin-prisma's select mode), so no read carries a password hash.
  it('reads no password hash, whatever members a list holds', () => {
    for (const operation of Object.values(op)) {
      const reading = large.get(operation)!.statements.filter((sql) => sql.includes('"passwordHash"'));
      expect(reading, operation.name).toEqual([]);
    }
  });

  it('were measured over lists that grew tenfold', () => {
    for (const [field, operations] of Object.entries(COVERED)) {
      const key = field.split('.')[1]!;
      for (const operation of operations) {
        const [before, after] = [itemsUnder(small.get(operation)!.data, key), itemsUnder(large.get(operation)!.data, key)];
        expect(before, `${field} is empty in ${operation.name}`).toBeGreaterThan(0);
        if (FIXED_LENGTH[field]) expect(after, `${field} in ${operation.name}`).toBe(before);
        else expect(after, `${field} grew in ${operation.name}`).toBeGreaterThanOrEqual(before * 5);
      }
    }
  });
});

describe('the table of measured fields', () => {
  it('names every list and connection field of the schema, or why it is left out', () => {
    const schema = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
    const lists: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || type === schema.getSubscriptionType()) continue;
      for (const field of Object.values(type.getFields())) {
        const named = getNamedType(field.type);
        const isConnection = isObjectType(named) && named.name.endsWith('Connection') && 'edges' in named.getFields();
        if (!isListType(getNullableType(field.type)) && !isConnection) continue;
        // A connection's edges are measured with the connection.
        if (type.name.endsWith('Connection') && field.name === 'edges') continue;
        lists.push(`${type.name}.${field.name}`);
      }
    }
    const excluded = (field: string) => field in EXCLUDED || EXCLUDED_PATTERNS.some(([pattern]) => pattern.test(field));
    expect(lists.filter((field) => !(field in COVERED) && !excluded(field)), 'list fields with no statement count').toEqual([]);
    expect(lists.filter((field) => field in COVERED && excluded(field)), 'both covered and excluded').toEqual([]);
    expect([...Object.keys(COVERED), ...Object.keys(EXCLUDED)].filter((field) => !lists.includes(field)), 'entries for no field').toEqual([]);
    // Only lists of scalars are left out by name; a list of objects needs a count.
    for (const field of Object.keys(EXCLUDED)) {
      const [typeName, fieldName] = field.split('.') as [string, string];
      const type = schema.getType(typeName);
      expect(isObjectType(type) && isLeafType(getNamedType(type.getFields()[fieldName]!.type)), `${field} is a list of scalars`).toBe(true);
    }
    // Every operation measures some field.
    expect(Object.values(op).filter((o) => !Object.values(COVERED).some((ops) => ops.includes(o))), 'operations for no field').toEqual([]);
  });
});
