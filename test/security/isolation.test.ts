import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.js';
import { subscribe, type Subscription } from '../support/subscriptions.js';

// Tenant isolation, as a property: for random worlds of networks, memberships, listings,
// exchanges, proposals, meetups and vouches, every read path answers each reader
// (anonymous, a member, an integration) with exactly what the reference policy below
// allows. The reference is written from the rules in the README, independently of the
// Prisma filters the API uses. Fixed seed, bounded runs: ISOLATION_RUNS=200 for more.

const SEED = 20_261_122;
const RUNS = Number(process.env.ISOLATION_RUNS ?? 20);

const STATUSES = ['PENDING', 'ACTIVE', 'LEFT', 'REMOVED'] as const;
const KINDS = ['ATTENTION', 'KNOWLEDGE', 'SKILLS', 'CONNECTIONS', 'RESOURCES'] as const;
const LISTING_STATUSES = ['OPEN', 'MATCHED', 'CLOSED'] as const;
const EXCHANGE_STATUSES = ['PROPOSED', 'ACCEPTED', 'COMPLETED'] as const;

type Status = (typeof STATUSES)[number];
type World = {
  members: { showEmail: boolean; share: boolean }[];
  networks: { visibility: 'PUBLIC' | 'PRIVATE' }[];
  memberships: { member: number; network: number; status: Status; role: 'MEMBER' | 'STEWARD' }[];
  listings: { network: number; author: number; type: 'ASK' | 'OFFER'; visibility: 'PUBLIC' | 'NETWORK'; kind: (typeof KINDS)[number]; status: (typeof LISTING_STATUSES)[number] }[];
  exchanges: { network: number; giver: number; receiver: number; visibility: 'PARTIES' | 'NETWORK'; status: (typeof EXCHANGE_STATUSES)[number]; ask: number | null }[];
  proposals: { network: number; proposer: number }[];
  meetups: { network: number; organizer: number }[];
  vouches: { network: number; voucher: number; vouchee: number }[];
  /** Filters the list reads use in this world. */
  filters: { kind: (typeof KINDS)[number] | null; listingStatus: (typeof LISTING_STATUSES)[number] | null; exchangeStatus: (typeof EXCHANGE_STATUSES)[number] | null };
};

const worlds: fc.Arbitrary<World> = fc
  .record({ members: fc.integer({ min: 2, max: 5 }), networks: fc.integer({ min: 1, max: 3 }) })
  .chain(({ members: m, networks: n }) => {
    const member = fc.nat({ max: m - 1 });
    const network = fc.nat({ max: n - 1 });
    const pair = fc.record({ a: member, offset: fc.integer({ min: 1, max: m - 1 }) }).map(({ a, offset }) => [a, (a + offset) % m] as const);
    return fc.record({
      members: fc.array(fc.record({ showEmail: fc.boolean(), share: fc.boolean() }), { minLength: m, maxLength: m }),
      networks: fc.array(fc.record({ visibility: fc.constantFrom('PUBLIC' as const, 'PRIVATE' as const) }), { minLength: n, maxLength: n }),
      memberships: fc.uniqueArray(
        fc.record({ member, network, status: fc.constantFrom(...STATUSES), role: fc.constantFrom('MEMBER' as const, 'STEWARD' as const) }),
        { selector: (x) => `${x.member}:${x.network}`, maxLength: m * n },
      ),
      listings: fc.array(
        fc.record({
          network,
          author: member,
          type: fc.constantFrom('ASK' as const, 'OFFER' as const),
          visibility: fc.constantFrom('PUBLIC' as const, 'NETWORK' as const),
          kind: fc.constantFrom(...KINDS.slice(0, 2)),
          status: fc.constantFrom(...LISTING_STATUSES),
        }),
        { maxLength: 6 },
      ),
      exchanges: fc.array(
        fc.record({
          network,
          parties: pair,
          visibility: fc.constantFrom('PARTIES' as const, 'NETWORK' as const),
          status: fc.constantFrom(...EXCHANGE_STATUSES),
          ask: fc.option(fc.nat(), { nil: null }),
        }),
        { maxLength: 5 },
      ),
      proposals: fc.array(fc.record({ network, proposer: member }), { maxLength: 3 }),
      meetups: fc.array(fc.record({ network, organizer: member }), { maxLength: 2 }),
      vouches: fc.uniqueArray(
        fc.record({ network, parties: pair }).map(({ network, parties: [voucher, vouchee] }) => ({ network, voucher, vouchee })),
        { selector: (x) => `${x.network}:${x.voucher}:${x.vouchee}`, maxLength: 3 },
      ),
      filters: fc.record({
        kind: fc.constantFrom(null, ...KINDS.slice(0, 2)),
        listingStatus: fc.constantFrom(null, ...LISTING_STATUSES),
        exchangeStatus: fc.constantFrom(null, ...EXCHANGE_STATUSES),
      }),
    });
  })
  .map((w) => {
    const listings = w.listings;
    return {
      ...w,
      exchanges: w.exchanges.map(({ parties: [giver, receiver], ask, ...e }) => {
        // An exchange may answer an ask of its own network.
        const asks = listings.map((l, i) => ({ l, i })).filter(({ l }) => l.type === 'ASK' && l.network === e.network);
        return { ...e, giver, receiver, ask: ask === null || asks.length === 0 ? null : asks[ask % asks.length]!.i };
      }),
    };
  });

// --- The reference policy -------------------------------------------------------------

type Reader = { kind: 'anonymous' } | { kind: 'member'; member: number } | { kind: 'integration'; network: number };

function policy(w: World) {
  const membership = (m: number, n: number) => w.memberships.find((x) => x.member === m && x.network === n);
  const active = (r: Reader, n: number) => r.kind === 'member' && membership(r.member, n)?.status === 'ACTIVE';
  const steward = (r: Reader, n: number) => active(r, n) && membership((r as { member: number }).member, n)!.role === 'STEWARD';
  const self = (r: Reader, m: number) => r.kind === 'member' && r.member === m;
  const ofIntegration = (r: Reader, n: number) => r.kind === 'integration' && r.network === n;
  /** Proposals, meetups and vouches: the network's business. */
  const insider = (r: Reader, n: number) => ofIntegration(r, n) || active(r, n);

  const network = (r: Reader, n: number) =>
    r.kind === 'integration' ? r.network === n : w.networks[n]!.visibility === 'PUBLIC' || active(r, n);
  const membershipSeen = (r: Reader, x: World['memberships'][number]) =>
    r.kind === 'integration'
      ? r.network === x.network && x.status === 'ACTIVE'
      : network(r, x.network) && (x.status === 'ACTIVE' || self(r, x.member) || steward(r, x.network));
  return {
    network,
    membership: membershipSeen,
    member: (r: Reader, m: number) => self(r, m) || w.memberships.some((x) => x.member === m && membershipSeen(r, x)),
    /** Emails: the member; other members where shown; integrations where shown and shared. */
    email: (r: Reader, m: number) =>
      self(r, m) || (w.members[m]!.showEmail && (r.kind === 'integration' ? w.members[m]!.share : r.kind === 'member')),
    listing: (r: Reader, l: World['listings'][number]) =>
      r.kind === 'integration'
        ? r.network === l.network
        : (l.visibility === 'PUBLIC' && w.networks[l.network]!.visibility === 'PUBLIC') || self(r, l.author) || active(r, l.network),
    exchange: (r: Reader, e: World['exchanges'][number]) =>
      r.kind === 'integration'
        ? r.network === e.network && e.visibility === 'NETWORK'
        : self(r, e.giver) || self(r, e.receiver) || steward(r, e.network) || (e.visibility === 'NETWORK' && active(r, e.network)),
    proposal: (r: Reader, p: { network: number }) => insider(r, p.network),
    meetup: (r: Reader, p: { network: number }) => insider(r, p.network),
    vouch: (r: Reader, p: { network: number }) => insider(r, p.network),
    /** Network event streams: its active members and its integrations. */
    subscription: (r: Reader, n: number) => insider(r, n),
  };
}

// --- Writing a world straight to the database -------------------------------------------

type Ids = {
  members: string[];
  networks: string[];
  slugs: string[];
  memberships: string[];
  listings: string[];
  exchanges: string[];
  proposals: string[];
  meetups: string[];
  vouches: string[];
  tokens: Map<string, string>;
};

let app: TestApp;
let run = 0;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const sha256 = (token: string) => createHash('sha256').update(token).digest();
const uuids = (n: number) => Array.from({ length: n }, () => randomUUID());

async function insert(w: World, prefix: string): Promise<Ids> {
  const db = app.database.prisma;
  const ids: Ids = {
    members: uuids(w.members.length),
    networks: uuids(w.networks.length),
    slugs: w.networks.map((_, i) => `${prefix}-n${i}`),
    memberships: uuids(w.memberships.length),
    listings: uuids(w.listings.length),
    exchanges: uuids(w.exchanges.length),
    proposals: uuids(w.proposals.length),
    meetups: uuids(w.meetups.length),
    vouches: uuids(w.vouches.length),
    tokens: new Map(),
  };
  const now = new Date();
  const later = new Date(now.getTime() + 86_400_000);
  await db.member.createMany({
    data: w.members.map((m, i) => ({
      id: ids.members[i]!,
      email: `${prefix}-m${i}@example.org`,
      handle: `${prefix}_m${i}`,
      displayName: `Member ${i}`,
      passwordHash: 'not used',
      showEmail: m.showEmail,
      shareWithIntegrations: m.share,
    })),
  });
  await db.network.createMany({
    data: w.networks.map((n, i) => ({ id: ids.networks[i]!, slug: ids.slugs[i]!, name: `${prefix} ${i}`, purpose: 'isolation', visibility: n.visibility, joinPolicy: 'OPEN' as const })),
  });
  await db.membership.createMany({
    data: w.memberships.map((x, i) => ({ id: ids.memberships[i]!, memberId: ids.members[x.member]!, networkId: ids.networks[x.network]!, status: x.status, role: x.role, joinedAt: now })),
  });
  await db.listing.createMany({
    data: w.listings.map((l, i) => ({
      id: ids.listings[i]!,
      networkId: ids.networks[l.network]!,
      authorId: ids.members[l.author]!,
      type: l.type,
      kind: l.kind,
      title: `Listing ${i}`,
      visibility: l.visibility,
      status: l.status,
    })),
  });
  await db.exchange.createMany({
    data: w.exchanges.map((e, i) => ({
      id: ids.exchanges[i]!,
      networkId: ids.networks[e.network]!,
      giverId: ids.members[e.giver]!,
      receiverId: ids.members[e.receiver]!,
      proposerId: ids.members[e.giver]!,
      askId: e.ask === null ? null : ids.listings[e.ask]!,
      kind: 'SKILLS' as const,
      visibility: e.visibility,
      status: e.status,
    })),
  });
  // Proposals need the network's decision rule.
  for (const [i, p] of w.proposals.entries()) {
    const rule = await db.rule.create({
      data: { networkId: ids.networks[p.network]!, kind: 'DECISION_MAKING', title: 'Decisions', body: 'Majority', versions: { create: { version: 1, title: 'Decisions', body: 'Majority' } } },
      include: { versions: true },
    });
    await db.proposal.create({
      data: {
        id: ids.proposals[i]!,
        networkId: ids.networks[p.network]!,
        proposerId: ids.members[p.proposer]!,
        title: `Proposal ${i}`,
        body: 'x',
        action: 'UPDATE_PURPOSE',
        purpose: 'new',
        decisionRuleVersionId: rule.versions[0]!.id,
        eligibleCount: 1,
        closesAt: later,
      },
    });
  }
  await db.meetup.createMany({
    data: w.meetups.map((x, i) => ({
      id: ids.meetups[i]!,
      networkId: ids.networks[x.network]!,
      organizerId: ids.members[x.organizer]!,
      title: `Meetup ${i}`,
      place: 'Hall',
      startsAt: later,
      endsAt: new Date(later.getTime() + 3_600_000),
      attendanceCode: 'ABC123',
    })),
  });
  await db.vouch.createMany({
    data: w.vouches.map((v, i) => ({ id: ids.vouches[i]!, networkId: ids.networks[v.network]!, voucherId: ids.members[v.voucher]!, voucheeId: ids.members[v.vouchee]!, context: 'worked together' })),
  });
  // One session per member, one read token per network: inserted as the API stores them.
  for (const [i, memberId] of ids.members.entries()) {
    const token = `tb_${randomBytes(32).toString('base64url')}`;
    await db.session.create({ data: { memberId, tokenHash: sha256(token), expiresAt: later } });
    ids.tokens.set(`member:${i}`, token);
  }
  for (const [i, networkId] of ids.networks.entries()) {
    const token = `tbi_${randomBytes(32).toString('base64url')}`;
    await db.apiToken.create({ data: { networkId, name: 'isolation', scopes: ['READ'], tokenHash: sha256(token) } });
    ids.tokens.set(`integration:${i}`, token);
  }
  return ids;
}

async function remove(ids: Ids) {
  const db = app.database.prisma;
  await db.proposal.deleteMany({ where: { networkId: { in: ids.networks } } });
  await db.network.deleteMany({ where: { id: { in: ids.networks } } });
  await db.member.deleteMany({ where: { id: { in: ids.members } } });
}

// --- Reading through the API ----------------------------------------------------------------

const globalId = (type: string, id: string) => Buffer.from(`${type}:${id}`).toString('base64');
const local = (id: string) => Buffer.from(id, 'base64').toString().split(':').slice(1).join(':');

const tokenOf = (ids: Ids, r: Reader) =>
  r.kind === 'member' ? ids.tokens.get(`member:${r.member}`) : r.kind === 'integration' ? ids.tokens.get(`integration:${r.network}`) : undefined;

async function read<T>(ids: Ids, r: Reader, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = tokenOf(ids, r);
  const response = await app.yoga.fetch('http://tiebridge.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(`${JSON.stringify(body.errors)} for ${query}`);
  return body.data;
}

type Edges = { edges: { node: { id: string } }[] };
const edgeIds = (c: Edges) => c.edges.map((e) => local(e.node.id)).sort();
const sorted = (xs: string[]) => [...xs].sort();
const pick = <T>(items: T[], ids: string[], keep: (item: T) => boolean) => sorted(items.flatMap((item, i) => (keep(item) ? [ids[i]!] : [])));

const NETWORK_READ = `
  query IsolationNetwork($slug: String!, $kind: ContributionKind, $listingStatus: ListingStatus, $exchangeStatus: ExchangeStatus) {
    network(slug: $slug) {
      id
      pending: members(first: 100, status: PENDING) { edges { node { id } } }
      active: members(first: 100, status: ACTIVE) { edges { node { id } } }
      left: members(first: 100, status: LEFT) { edges { node { id } } }
      removed: members(first: 100, status: REMOVED) { edges { node { id } } }
      asks(first: 100, kind: $kind, status: $listingStatus) { edges { node { id } } }
      offers(first: 100, kind: $kind, status: $listingStatus) { edges { node { id } } }
      exchanges(first: 100, status: $exchangeStatus) { edges { node { id } } }
      proposals(first: 100) { edges { node { id } } }
      meetups(first: 100) { edges { node { id } } }
    }
  }`;

/** Everything one reader can reach, next to what the reference allows. */
async function compare(w: World, ids: Ids, r: Reader) {
  const allow = policy(w);
  const networkIndexes = w.networks.map((_, n) => n);

  // Root list: only this world's networks exist while it runs.
  const listed = await read<{ networks: Edges }>(ids, r, '{ networks(first: 100) { edges { node { id } } } }');
  expect(edgeIds(listed.networks), 'networks').toEqual(pick(networkIndexes, ids.networks, (n) => allow.network(r, n)));

  // Root field by slug, and every list nested in a network, with this world's filters.
  for (const n of networkIndexes) {
    const { network } = await read<{ network: null | Record<string, Edges | string> }>(ids, r, NETWORK_READ, { slug: ids.slugs[n], ...w.filters });
    expect(network !== null, `network(slug) ${n}`).toBe(allow.network(r, n));
    if (!network) continue;
    for (const status of STATUSES) {
      expect(edgeIds(network[status.toLowerCase()] as Edges), `members ${status} of ${n}`).toEqual(
        pick(w.memberships, ids.memberships, (x) => x.network === n && x.status === status && allow.membership(r, x)),
      );
    }
    const { kind, listingStatus, exchangeStatus } = w.filters;
    for (const type of ['ASK', 'OFFER'] as const) {
      expect(edgeIds(network[type === 'ASK' ? 'asks' : 'offers'] as Edges), `${type} of ${n}`).toEqual(
        pick(w.listings, ids.listings, (l) => l.network === n && l.type === type && (!kind || l.kind === kind) && (!listingStatus || l.status === listingStatus) && allow.listing(r, l)),
      );
    }
    expect(edgeIds(network.exchanges as Edges), `exchanges of ${n}`).toEqual(
      pick(w.exchanges, ids.exchanges, (e) => e.network === n && (!exchangeStatus || e.status === exchangeStatus) && allow.exchange(r, e)),
    );
    expect(edgeIds(network.proposals as Edges), `proposals of ${n}`).toEqual(pick(w.proposals, ids.proposals, (p) => p.network === n && allow.proposal(r, p)));
    expect(edgeIds(network.meetups as Edges), `meetups of ${n}`).toEqual(pick(w.meetups, ids.meetups, (p) => p.network === n && allow.meetup(r, p)));
  }

  // node(id) for every object, with what hangs off members and exchanges.
  type Probe = { id: string; expected: boolean; check?: (node: Record<string, unknown>) => void };
  const probes: Probe[] = [
    ...ids.networks.map((id, n) => ({ id: globalId('Network', id), expected: allow.network(r, n) })),
    ...ids.members.map((id, m) => ({
      id: globalId('Member', id),
      expected: allow.member(r, m),
      check: (node: Record<string, unknown>) => {
        expect(node.email !== null, `email of member ${m}`).toBe(allow.email(r, m));
        expect(edgeIds(node.memberships as Edges), `memberships of member ${m}`).toEqual(pick(w.memberships, ids.memberships, (x) => x.member === m && allow.membership(r, x)));
      },
    })),
    ...w.memberships.map((x, i) => ({ id: globalId('Membership', ids.memberships[i]!), expected: allow.membership(r, x) })),
    ...w.listings.map((l, i) => ({ id: globalId(l.type === 'ASK' ? 'Ask' : 'Offer', ids.listings[i]!), expected: allow.listing(r, l) })),
    ...w.exchanges.map((e, i) => ({
      id: globalId('Exchange', ids.exchanges[i]!),
      expected: allow.exchange(r, e),
      check: (node: Record<string, unknown>) => {
        const ask = node.ask as { id: string } | null;
        const expected = e.ask !== null && allow.listing(r, w.listings[e.ask]!) ? ids.listings[e.ask]! : null;
        expect(ask && local(ask.id), `ask of exchange ${i}`).toBe(expected);
      },
    })),
    ...w.proposals.map((p, i) => ({ id: globalId('Proposal', ids.proposals[i]!), expected: allow.proposal(r, p) })),
    ...w.meetups.map((p, i) => ({ id: globalId('Meetup', ids.meetups[i]!), expected: allow.meetup(r, p) })),
    ...w.vouches.map((p, i) => ({ id: globalId('Vouch', ids.vouches[i]!), expected: allow.vouch(r, p) })),
  ];
  for (let start = 0; start < probes.length; start += 12) {
    const chunk = probes.slice(start, start + 12);
    const query = `query IsolationNodes {${chunk
      .map((p, i) => `n${i}: node(id: "${p.id}") { id ... on Member { email memberships(first: 100) { edges { node { id } } } } ... on Exchange { ask { id } } }`)
      .join(' ')} }`;
    const data = await read<Record<string, Record<string, unknown> | null>>(ids, r, query);
    chunk.forEach((probe, i) => {
      const node = data[`n${i}`] ?? null;
      expect(node !== null, `node ${Buffer.from(probe.id, 'base64').toString()}`).toBe(probe.expected);
      if (node) probe.check?.(node);
    });
  }
}

/** Network event streams: who may subscribe, and which events reach them. */
async function compareSubscriptions(w: World, ids: Ids, readers: Reader[]) {
  const allow = policy(w);
  type Open = { r: Reader; n: number; channel: 'exchange' | 'listing'; sub: Subscription<Record<string, { exchange?: { id: string }; listing?: { id: string } }>> };
  const opened: Open[] = await Promise.all(
    readers.flatMap((r) =>
      w.networks.flatMap((_, n) =>
        (['exchange', 'listing'] as const).map(async (channel) => {
          const query =
            channel === 'exchange'
              ? 'subscription IsolationExchanges($networkId: ID!) { exchangeEvents(networkId: $networkId) { exchange { id } } }'
              : 'subscription IsolationListings($networkId: ID!) { listingEvents(networkId: $networkId) { listing { id } } }';
          const sub = await subscribe<Open['sub'] extends Subscription<infer R> ? R : never, { networkId: string }>(
            app,
            query,
            { networkId: globalId('Network', ids.networks[n]!) },
            tokenOf(ids, r),
          );
          return { r, n, channel, sub } as Open;
        }),
      ),
    ),
  );
  const at = new Date().toISOString();
  let sequence = 0;
  for (const [i, e] of w.exchanges.entries()) {
    app.events.publish({ id: `${++sequence}`, type: 'exchange.proposed', networkId: ids.networks[e.network]!, actorId: null, subjectId: ids.exchanges[i]!, at, data: {} });
  }
  for (const [i, l] of w.listings.entries()) {
    app.events.publish({ id: `${++sequence}`, type: 'listing.posted', networkId: ids.networks[l.network]!, actorId: null, subjectId: ids.listings[i]!, at, data: {} });
  }
  const results = await Promise.all(opened.map((o) => o.sub.drain(400)));
  opened.forEach(({ r, n, channel, sub }, i) => {
    sub.close();
    const received = results[i]!;
    const label = `${channel}Events of network ${n} for ${JSON.stringify(r)}`;
    if (!allow.subscription(r, n)) {
      expect(received.length, label).toBe(1);
      expect(received[0]!.errors?.[0]?.extensions?.code, label).toMatch(/^(NOT_FOUND|UNAUTHENTICATED|FORBIDDEN)$/);
      return;
    }
    expect(received.every((x) => !x.errors), label).toBe(true);
    const got = sorted(received.map((x) => local(Object.values(x.data!)[0]![channel]!.id)));
    const expected =
      channel === 'exchange'
        ? pick(w.exchanges, ids.exchanges, (e) => e.network === n && allow.exchange(r, e))
        : pick(w.listings, ids.listings, (l) => l.network === n && allow.listing(r, l));
    expect(got, label).toEqual(expected);
  });
}

it('every read path returns exactly what the reference policy allows', async () => {
  await fc.assert(
    fc.asyncProperty(worlds, async (w) => {
      const ids = await insert(w, `iso${++run}`);
      try {
        const readers: Reader[] = [
          { kind: 'anonymous' },
          ...w.members.map((_, member) => ({ kind: 'member' as const, member })),
          ...w.networks.map((_, network) => ({ kind: 'integration' as const, network })),
        ];
        for (const r of readers) await compare(w, ids, r);
        await compareSubscriptions(w, ids, readers);
      } finally {
        await remove(ids);
      }
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: false },
  );
}, 600_000);
