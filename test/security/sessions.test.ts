import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { localId } from '../../src/graphql/ids.js';
import { LIMITS } from '../../src/graphql/limits.js';
import { type RunningServer, startServer } from '../../src/server/http.js';
import { graphql } from '../graphql/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createNetwork, logInAgain, PASSWORD, signUp, type TestMember } from '../support/fixtures.js';
import { connected, firstResult, wsClient } from '../support/sockets.js';

const ChangePassword = graphql(`
  mutation SessionsChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) { member { handle } errors { code field message } }
  }
`);
const WhoAmI = graphql(`query SessionsWhoAmI { viewer { handle } }`);
const LogOut = graphql(`mutation SessionsLogOut { logOut }`);
const IssueToken = graphql(`
  mutation SessionsIssueToken($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id } errors { code } } }
`);
const RevokeToken = graphql(`
  mutation SessionsRevokeToken($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { errors { code } } }
`);
const ListingFeed = graphql(`
  subscription SessionsListingFeed($networkId: ID!) { listingEvents(networkId: $networkId) { type } }
`);

let app: TestApp;
let server: RunningServer;
let steward: TestMember;
let networkId: string;

beforeAll(async () => {
  app = await createTestApp();
  server = await startServer(app, { port: 0, host: '127.0.0.1' });
  steward = await signUp(app, 'steward');
  networkId = await createNetwork(app, steward, { slug: 'sessions' });
});
afterAll(() => server.close());

const handleOf = async (token: string) => (await app.execute(WhoAmI, {}, { token })).data!.viewer?.handle ?? null;
const feed = print(ListingFeed);

/** A subscription that is surely registered on the server: it is listening until the socket closes. */
async function listening(token: string) {
  const socket = wsClient(server.url, token);
  await connected(socket.client);
  socket.client.subscribe({ query: feed, variables: { networkId } }, { next: () => {}, error: () => {}, complete: () => {} });
  return socket;
}

/** The socket is still open a moment later; then closes it. */
async function expectOpen(socket: Awaited<ReturnType<typeof listening>>) {
  const outcome = await Promise.race([socket.closed, new Promise((resolve) => setTimeout(() => resolve('open'), 300))]);
  expect(outcome).toBe('open');
  await socket.client.dispose();
}

describe('changePassword', () => {
  it('ends every other session of the member, keeps the current one and records it', async () => {
    const member = await signUp(app, 'rotating');
    const first = member.token;
    const laptop = await logInAgain(app, member);
    const phone = await logInAgain(app, member);
    const result = await app.execute(ChangePassword, { input: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' } }, { token: laptop });
    expect(result.data!.changePassword).toEqual({ member: { handle: 'rotating' }, errors: [] });
    expect(await handleOf(laptop)).toBe('rotating');
    expect(await handleOf(phone)).toBeNull();
    expect(await handleOf(first)).toBeNull();
    const activity = await app.database.prisma.activity.findMany({ where: { subjectId: localId(member.id, 'Member')!, type: 'member.password_changed' } });
    expect(activity).toHaveLength(1);
  });

  it('refuses a wrong current password and changes nothing', async () => {
    const member = await signUp(app, 'careful');
    const first = member.token;
    const other = await logInAgain(app, member);
    const result = await app.execute(ChangePassword, { input: { currentPassword: 'not the password', newPassword: 'a brand new passphrase' } }, { token: first });
    expect(result.data!.changePassword).toEqual({
      member: null,
      errors: [{ code: 'BAD_USER_INPUT', field: ['currentPassword'], message: 'The password is not right.' }],
    });
    expect(await handleOf(other)).toBe('careful');
  });
});

describe('graphql-ws authentication', () => {
  it('closes a socket whose connection_init carries a bad token with 4403', async () => {
    for (const token of ['tb_not-a-real-token', 'tbi_not-a-real-token', 'garbage']) {
      const { client, closed } = wsClient(server.url, token);
      expect(await closed).toBe(4403);
      await client.dispose();
    }
  });

  it('closes a socket with 4403 when its session logs out elsewhere, and leaves other sessions open', async () => {
    const member = await signUp(app, 'leaving');
    const first = member.token;
    const other = await logInAgain(app, member);
    const kept = await listening(other);
    const ended = await listening(first);
    expect((await app.execute(LogOut, {}, { token: first })).data).toEqual({ logOut: true });
    expect(await ended.closed).toBe(4403);
    await expectOpen(kept);
  });

  it('closes the sockets of other sessions when the password changes, but not the changing one', async () => {
    const member = await signUp(app, 'changing');
    const first = member.token;
    const current = await logInAgain(app, member);
    const kept = await listening(current);
    const ended = await listening(first);
    await app.execute(ChangePassword, { input: { currentPassword: PASSWORD, newPassword: 'another long passphrase' } }, { token: current });
    expect(await ended.closed).toBe(4403);
    await expectOpen(kept);
  });

  it('closes a socket with 4403 when its session reaches its absolute expiry', async () => {
    const member = await signUp(app, 'expiring');
    const expiresAt = new Date(Date.now() + 800);
    await app.database.prisma.session.updateMany({ where: { memberId: localId(member.id, 'Member')! }, data: { expiresAt } });
    const socket = await listening(member.token);
    expect(await socket.closed).toBe(4403);
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt.getTime());
  });

  it("closes an integration's socket when its token is revoked", async () => {
    const issued = await app.execute(IssueToken, { input: { networkId, name: 'Dashboard', scopes: ['READ'] } }, { token: steward.token });
    const { token, apiToken } = issued.data!.createApiToken;
    const integration = await listening(token!);
    await app.execute(RevokeToken, { input: { tokenId: apiToken!.id } }, { token: steward.token });
    expect(await integration.closed).toBe(4403);
  });
});

describe('graphql-ws limits', () => {
  it(`holds ${LIMITS.maxSubscriptionsPerSocket} subscriptions on a socket and refuses one more`, async () => {
    const { client } = wsClient(server.url, steward.token);
    await connected(client);
    const disposers = [];
    for (let i = 0; i < LIMITS.maxSubscriptionsPerSocket; i++) {
      disposers.push(client.subscribe({ query: feed, variables: { networkId } }, { next: () => {}, error: () => {}, complete: () => {} }));
    }
    const refused = await firstResult(client, feed, { networkId });
    expect(refused.errors?.[0]).toMatchObject({
      message: `A socket holds at most ${LIMITS.maxSubscriptionsPerSocket} subscriptions; close one first.`,
      extensions: { code: 'QUERY_TOO_COMPLEX' },
    });
    // Closing one makes room again.
    disposers.pop()!();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const accepted = await Promise.race([
      firstResult(client, feed, { networkId }),
      new Promise((resolve) => setTimeout(() => resolve('listening'), 300)),
    ]);
    expect(accepted).toBe('listening');
    await client.dispose();
  });

  it('applies the same query limits as HTTP', async () => {
    const { client } = wsClient(server.url, steward.token);
    await connected(client);
    const deep = `subscription { listingEvents(networkId: "${networkId}") { ${'listing { network { '.repeat(6)}id${' } }'.repeat(6)} } }`;
    expect((await firstResult(client, deep)).errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const aliased = `query { ${Array.from({ length: LIMITS.maxAliases + 1 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
    expect((await firstResult(client, aliased)).errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    const long = `subscription { listingEvents(networkId: "${networkId}") { type } }${' '.repeat(LIMITS.maxQueryLength)}`;
    expect((await firstResult(client, long)).errors?.[0]).toMatchObject({ extensions: { code: 'QUERY_TOO_COMPLEX' } });
    expect((await firstResult(client, 'subscription {')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await firstResult(client, 'subscription { nothingHere }')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    await client.dispose();
  });

  it(`accepts a message of ${LIMITS.maxMessageBytes} bytes and closes the socket on one byte more (1009)`, async () => {
    const send = async (bytes: number) => {
      const socket = new WebSocket(server.url.replace(/^http/, 'ws'), 'graphql-transport-ws');
      const messages: { type: string; id?: string; payload?: unknown }[] = [];
      const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
      socket.on('message', (data) => messages.push(JSON.parse(String(data))));
      await new Promise((resolve) => socket.on('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
      while (!messages.some((m) => m.type === 'connection_ack')) await new Promise((resolve) => setTimeout(resolve, 10));
      const envelope = (padding: number) => JSON.stringify({ type: 'subscribe', id: 'big', payload: { query: `{ __typename }${' '.repeat(padding)}` } });
      const message = envelope(bytes - envelope(0).length);
      expect(Buffer.byteLength(message)).toBe(bytes);
      socket.send(message);
      const outcome = await Promise.race([
        closed,
        (async () => {
          while (!messages.some((m) => m.id === 'big')) await new Promise((resolve) => setTimeout(resolve, 10));
          return messages.find((m) => m.id === 'big')!;
        })(),
      ]);
      socket.close();
      return outcome;
    };
    // At the limit the message is read (and its over-long query refused with an error);
    // one byte more and the socket closes before anything is parsed.
    expect(await send(LIMITS.maxMessageBytes)).toMatchObject({ type: 'error', payload: [{ extensions: { code: 'QUERY_TOO_COMPLEX' } }] });
    expect(await send(LIMITS.maxMessageBytes + 1)).toBe(1009);
  });
});
