import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server/http.js';
import { graphql } from './graphql/index.js';
import { createTestApp, type TestApp } from './support/app.js';
import { createNetwork, join, PASSWORD, signUp, type TestMember } from './support/fixtures.js';
import { localId } from './support/governance.js';
import { completedExchange, postAsk, PostAsk, postOffer } from './support/reciprocity.js';
import { RecordAttendance, scheduleMeetup } from './support/trust.js';

const CreateApiToken = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) { token apiToken { id name scopes lastUsedAt } errors { code message field } }
  }
`);
const RevokeApiToken = graphql(`mutation RevokeApiToken($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { apiToken { revokedAt } errors { code } } }`);
const IntegrationRead = graphql(`
  query IntegrationRead($slug: String!) {
    viewer { id }
    network(slug: $slug) {
      name
      members(first: 10) { totalCount edges { node { member { handle email location bio } } } }
      asks(first: 10) { totalCount }
    }
    networks(first: 10) { totalCount edges { node { slug } } }
  }
`);
const CreateWebhookByToken = graphql(`
  mutation CreateWebhookByToken($input: CreateWebhookInput!) { createWebhook(input: $input) { webhook { id } errors { code message } } }
`);
const UpdateProfile = graphql(`mutation UpdatePrivacy($input: UpdateProfileInput!) { updateProfile(input: $input) { member { privacy { showEmail shareWithIntegrations } } errors { code } } }`);
const MemberEmail = graphql(`query MemberEmail($id: ID!) { node(id: $id) { ... on Member { email location bio privacy { showEmail } } } }`);
const Activity = graphql(`
  query Activity($slug: String!, $types: [String!], $memberId: ID, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
    network(slug: $slug) {
      activity(types: $types, memberId: $memberId, from: $from, to: $to, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id type actor { handle } } }
      }
    }
  }
`);
const MemberLedger = graphql(`
  query MemberLedger($id: ID!, $networkId: ID!) { node(id: $id) { ... on Member { reciprocity(networkId: $networkId) { totalGiven totalReceived } } } }
`);
const MemberEndorsements = graphql(`
  query MemberEndorsements($id: ID!, $networkId: ID) { node(id: $id) { ... on Member { endorsements(networkId: $networkId) { skill } } } }
`);
const EndorseInNetwork = graphql(`mutation EndorseInNetwork($input: EndorseSkillInput!) { endorseSkill(input: $input) { errors { code } } }`);
const ExportMyData = graphql(`mutation ExportMyData { exportMyData { data errors { code } } }`);
const EraseMyAccount = graphql(`mutation EraseMyAccount($input: EraseMyAccountInput!) { eraseMyAccount(input: $input) { erased errors { code message field } } }`);
const ExchangeParties = graphql(`query ExchangeParties($slug: String!) { network(slug: $slug) { exchanges(first: 10) { edges { node { giver { handle displayName } receiver { handle } } } } } }`);

let app: TestApp;
let server: RunningServer;
let ada: TestMember; // steward
let grace: TestMember; // consents, shows her email
let linus: TestMember; // does not consent
let networkId: string;
let otherNetworkId: string;
const slug = 'integrated';

beforeAll(async () => {
  app = await createTestApp();
  server = await startServer(app, { port: 0, host: '127.0.0.1' });
  [ada, grace, linus] = [await signUp(app, 'ada'), await signUp(app, 'grace'), await signUp(app, 'linus')];
  await app.execute(UpdateProfile, { input: { showEmail: true, shareWithIntegrations: true, location: 'Riverside', bio: 'Sews' } }, { token: grace.token });
  await app.execute(UpdateProfile, { input: { showEmail: true, location: 'Hilltop', bio: 'Bikes' } }, { token: linus.token });
  networkId = await createNetwork(app, ada, { slug });
  otherNetworkId = await createNetwork(app, ada, { slug: 'elsewhere' });
  for (const m of [grace, linus]) await join(app, m, networkId);
  await postAsk(app, grace, networkId, { kind: 'SKILLS', title: 'Help' });
  await postAsk(app, grace, otherNetworkId, { kind: 'SKILLS', title: 'Elsewhere' }).catch(() => {});
});
afterAll(() => server.close());

async function token(scopes: ('READ' | 'WRITE')[], network = networkId) {
  const result = await app.execute(CreateApiToken, { input: { networkId: network, name: 'CRM', scopes } }, { token: ada.token });
  expect(result.data!.createApiToken.errors).toEqual([]);
  return { token: result.data!.createApiToken.token!, id: result.data!.createApiToken.apiToken!.id };
}

describe('API tokens', () => {
  it('are created by stewards, shown once and stored as a hash', async () => {
    const { token: secret, id } = await token(['READ']);
    expect(secret).toMatch(/^tbi_[A-Za-z0-9_-]{43}$/);
    const row = await app.database.prisma.apiToken.findUniqueOrThrow({ where: { id: localId(id) } });
    expect(Buffer.from(row.tokenHash)).toEqual(createHash('sha256').update(secret).digest());
    const refused = await app.execute(CreateApiToken, { input: { networkId, name: 'x', scopes: ['READ'] } }, { token: grace.token });
    expect(refused.data!.createApiToken.errors[0]?.code).toBe('FORBIDDEN');
    const writeOnly = await app.execute(CreateApiToken, { input: { networkId, name: 'x', scopes: ['WRITE'] } }, { token: ada.token });
    expect(writeOnly.data!.createApiToken.errors[0]).toMatchObject({ code: 'BAD_USER_INPUT', field: ['scopes'] });
  });

  it('see their network as a member would, never another, and private fields only with consent', async () => {
    const { token: secret } = await token(['READ']);
    const read = (await app.execute(IntegrationRead, { slug }, { token: secret })).data!;
    expect(read.viewer).toBeNull();
    expect(read.network!.asks.totalCount).toBe(1);
    const members = new Map(read.network!.members.edges.map((e) => [e.node.member.handle, e.node.member]));
    expect(members.get('grace')).toEqual({ handle: 'grace', email: 'grace@example.org', location: null, bio: 'Sews' });
    expect(members.get('linus')).toEqual({ handle: 'linus', email: null, location: null, bio: null });
    expect(read.networks.edges.map((e) => e.node.slug)).toEqual([slug]);
    expect((await app.execute(IntegrationRead, { slug: 'elsewhere' }, { token: secret })).data!.network).toBeNull();
    const stored = await app.database.prisma.apiToken.findFirstOrThrow({ where: { tokenHash: createHash('sha256').update(secret).digest() } });
    expect(stored.lastUsedAt).not.toBeNull();
  });

  it('write only with WRITE, and only what the README lists', async () => {
    const read = await token(['READ']);
    const write = await token(['READ', 'WRITE']);
    const webhook = { input: { networkId, url: 'https://example.org/hook', events: ['listing.*'] } };
    const refused = await app.execute(CreateWebhookByToken, webhook, { token: read.token });
    expect(refused.errors?.[0]).toMatchObject({ message: 'This API token may not do this.', extensions: { code: 'FORBIDDEN' } });
    expect((await app.execute(CreateWebhookByToken, webhook, { token: write.token })).data!.createWebhook.errors).toEqual([]);
    const elsewhere = await app.execute(CreateWebhookByToken, { input: { ...webhook.input, networkId: otherNetworkId } }, { token: write.token });
    expect(elsewhere.data!.createWebhook.errors[0]?.code).toBe('NOT_FOUND');
    const post = await app.execute(PostAsk, { input: { networkId, kind: 'SKILLS', title: 'By a bot' } }, { token: write.token });
    expect(post.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const meetup = await scheduleMeetup(app, ada, networkId, new Date(Date.now() + 10 * 60_000));
    const kiosk = await app.execute(RecordAttendance, { input: { meetupId: meetup.id, memberIds: [grace.id, linus.id] } }, { token: write.token });
    expect(kiosk.data!.recordAttendance.meetup?.attendees.map((a) => a.handle)).toEqual(['grace', 'linus']);
  });

  it("read a member's ledger in their own network only", async () => {
    const [here, there] = [await createNetwork(app, ada, { slug: 'ledger-here' }), await createNetwork(app, ada, { slug: 'ledger-there' })];
    const [giver, receiver] = [await signUp(app), await signUp(app)];
    for (const member of [giver, receiver]) for (const network of [here, there]) await join(app, member, network);
    for (const network of [here, there]) await completedExchange(app, giver, receiver, network);
    const { token: secret } = await token(['READ'], here);
    const ledger = async (network: string) =>
      (await app.execute(MemberLedger, { id: receiver.id, networkId: network }, { token: secret })).data!.node;
    expect(await ledger(here)).toEqual({ reciprocity: { totalGiven: 0, totalReceived: 1 } });
    expect(await ledger(there)).toEqual({ reciprocity: { totalGiven: 0, totalReceived: 0 } });
  });

  it("read a member's endorsements in their own network only", async () => {
    const [here, there] = [await createNetwork(app, ada, { slug: 'endorse-here' }), await createNetwork(app, ada, { slug: 'endorse-there' })];
    const [endorser, endorsed] = [await signUp(app), await signUp(app)];
    for (const member of [endorser, endorsed]) for (const network of [here, there]) await join(app, member, network);
    for (const [network, skill] of [[here, 'Welding'], [there, 'Sewing']] as const) {
      const result = await app.execute(EndorseInNetwork, { input: { networkId: network, memberId: endorsed.id, skill } }, { token: endorser.token });
      expect(result.data!.endorseSkill.errors).toEqual([]);
    }
    const { token: secret } = await token(['READ'], here);
    const endorsements = async (networkId?: string) =>
      (await app.execute(MemberEndorsements, { id: endorsed.id, networkId }, { token: secret })).data!.node;
    expect(await endorsements(here)).toEqual({ endorsements: [{ skill: 'Welding' }] });
    expect(await endorsements(there)).toEqual({ endorsements: [] });
    expect(await endorsements()).toEqual({ endorsements: [{ skill: 'Welding' }] });
  });

  it('stop working when revoked', async () => {
    const { token: secret, id } = await token(['READ', 'WRITE']);
    const revoked = await app.execute(RevokeApiToken, { input: { tokenId: id } }, { token: ada.token });
    expect(revoked.data!.revokeApiToken.apiToken?.revokedAt).toBeTruthy();
    // Reads fall back to anonymous: no longer limited to the token's network.
    const anonymous = (await app.execute(IntegrationRead, { slug }, { token: secret })).data!;
    expect(anonymous.networks.edges.map((e) => e.node.slug)).toContain('elsewhere');
    const write = await app.execute(CreateWebhookByToken, { input: { networkId, url: 'https://example.org/h', events: ['*'] } }, { token: secret });
    expect(write.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('privacy settings', () => {
  it('decide what other members see; the member always sees everything', async () => {
    const asAda = (await app.execute(MemberEmail, { id: linus.id }, { token: ada.token })).data!.node;
    expect(asAda).toEqual({ email: 'linus@example.org', location: null, bio: 'Bikes', privacy: null });
    const asAnonymous = (await app.execute(MemberEmail, { id: grace.id })).data!.node;
    expect(asAnonymous).toMatchObject({ email: null, location: null, bio: 'Sews' });
    const own = (await app.execute(MemberEmail, { id: linus.id }, { token: linus.token })).data!.node;
    expect(own).toEqual({ email: 'linus@example.org', location: 'Hilltop', bio: 'Bikes', privacy: { showEmail: true } });
  });
});

describe('the activity record', () => {
  it('is for stewards, newest first, filtered by type, member and time', async () => {
    const read = async (vars: Record<string, unknown>, who = ada) => app.execute(Activity, { slug, first: 50, ...vars }, { token: who.token });
    const all = (await read({})).data!.network!.activity;
    expect(all.totalCount).toBeGreaterThan(5);
    const ids = all.edges.map((e) => BigInt(e.node.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
    const joined = (await read({ types: ['membership.joined'] })).data!.network!.activity.edges.map((e) => e.node.actor?.handle);
    expect(joined).toEqual(['linus', 'grace', 'ada']);
    const byGrace = (await read({ memberId: grace.id, types: ['listing.*'] })).data!.network!.activity.edges.map((e) => e.node.type);
    expect(byGrace).toEqual(['listing.posted']);
    expect((await read({ from: new Date(Date.now() + 60_000).toISOString() })).data!.network!.activity.totalCount).toBe(0);
    const page = (await read({ first: 2 })).data!.network!.activity;
    const next = (await read({ first: 2, after: page.pageInfo.endCursor })).data!.network!.activity;
    expect(next.edges[0]!.node.id).toBe(all.edges[2]!.node.id);
    expect((await read({}, grace)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('CRM export', () => {
  const download = (path: string, bearer?: string) =>
    fetch(`${server.url.replace('/graphql', '')}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

  it('streams the consenting members, with only the fields they show, as CSV and JSON', async () => {
    const csv = await download(`/networks/${slug}/members.csv`, ada.token);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('id,handle,displayName,email,location,bio,role,engagementLevel,trustLevel,joinedAt,exchangesGiven,exchangesReceived,lastActivityAt');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',grace,grace,grace@example.org,,Sews,MEMBER,');
    const { token: secret } = await token(['READ']);
    const json = (await (await download(`/networks/${slug}/members.json`, secret)).json()) as { handle: string }[];
    expect(json.map((r) => r.handle)).toEqual(['grace']);
  });

  it('is refused to members who are not stewards, to other networks\' tokens and to the anonymous', async () => {
    expect((await download(`/networks/${slug}/members.csv`, grace.token)).status).toBe(403);
    expect((await download(`/networks/${slug}/members.csv`)).status).toBe(401);
    const { token: other } = await token(['READ'], otherNetworkId);
    expect((await download(`/networks/${slug}/members.csv`, other)).status).toBe(404);
  });
});

describe('export and erasure', () => {
  it('export everything the platform holds about the viewer', async () => {
    await completedExchange(app, grace, linus, networkId);
    const data = (await app.execute(ExportMyData, {}, { token: grace.token })).data!.exportMyData.data as Record<string, unknown[]> & {
      member: Record<string, unknown>;
    };
    expect(data.member).toMatchObject({ handle: 'grace', email: 'grace@example.org', bio: 'Sews' });
    expect(JSON.stringify(data)).not.toContain('passwordHash');
    expect(data.memberships).toHaveLength(1);
    expect(data.listings).toHaveLength(1);
    expect(data.exchanges).toHaveLength(1);
    expect(data.sessions!.length).toBeGreaterThan(0);
    expect(data.activity!.length).toBeGreaterThan(2);
  });

  it('erase all personal data, keep others\' history with the member anonymous, and refuse a wrong password', async () => {
    const wrong = await app.execute(EraseMyAccount, { input: { password: 'not my password', confirm: 'ERASE' } }, { token: grace.token });
    expect(wrong.data!.eraseMyAccount).toEqual({ erased: false, errors: [{ code: 'BAD_USER_INPUT', message: 'The password is not right.', field: ['password'] }] });
    const erased = await app.execute(EraseMyAccount, { input: { password: PASSWORD, confirm: 'ERASE' } }, { token: grace.token });
    expect(erased.data!.eraseMyAccount).toEqual({ erased: true, errors: [] });
    expect((await app.execute(MemberEmail, { id: grace.id }, { token: grace.token })).data).toMatchObject({ node: null });

    // Nothing personal of hers is left in any text column of any table.
    const personal = ['grace@example.org', 'grace', 'Sews', 'Riverside'];
    const columns = await app.database.prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb', 'ARRAY')`;
    const found: string[] = [];
    for (const { table_name, column_name } of columns) {
      for (const needle of personal) {
        const rows = await app.database.prisma.$queryRawUnsafe<unknown[]>(
          `SELECT 1 FROM "${table_name}" WHERE "${column_name}"::text ILIKE $1 LIMIT 1`,
          `%${needle}%`,
        );
        if (rows.length) found.push(`${table_name}.${column_name} contains ${needle}`);
      }
    }
    expect(found).toEqual([]);
    expect(await app.database.prisma.session.count({ where: { memberId: localId(grace.id) } })).toBe(0);

    const history = (await app.execute(ExchangeParties, { slug }, { token: ada.token })).data!.network!.exchanges.edges;
    expect(history.map((e) => [e.node.giver.displayName, e.node.receiver.handle])).toEqual([['Former member', 'linus']]);
  });
});
