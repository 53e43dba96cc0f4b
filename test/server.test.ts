import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server/http.js';
import { createPasswordHasher } from '../src/modules/accounts/passwords.js';
import { graphql } from './graphql/index.js';
import { createTestApp, type TestApp } from './support/app.js';
import { createNetwork, join, SignUp, signUp, type TestMember } from './support/fixtures.js';
import { connected, wsClient as connect } from './support/sockets.js';

const MembershipEvents = graphql(`
  subscription MembershipEvents($networkId: ID!) {
    membershipEvents(networkId: $networkId) {
      type
      at
      membership { status member { handle } }
    }
  }
`);

let app: TestApp;
let server: RunningServer;
let steward: TestMember;
let networkId: string;

beforeAll(async () => {
  app = await createTestApp();
  server = await startServer(app, { port: 0, host: '127.0.0.1' });
  steward = await signUp(app, 'steward');
  networkId = await createNetwork(app, steward);
});
afterAll(() => server.close());

const wsClient = (token?: string) => connect(server.url, token);

/** Collects `count` results of a subscription over graphql-ws. */
async function collect<T>(client: Client, query: string, variables: Record<string, unknown>, count: number, ready: Promise<unknown>) {
  const results: T[] = [];
  const iterator = client.iterate<T>({ query, variables });
  const done = (async () => {
    for await (const result of iterator) {
      results.push(result as T);
      if (results.length >= count) break;
    }
    return results;
  })();
  await ready;
  return done;
}

describe('HTTP', () => {
  it('answers /healthz and /readyz', async () => {
    const base = server.url.replace('/graphql', '');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('serves queries and mutations on /graphql over a real socket', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: print(SignUp),
        variables: { input: { email: 'socket@example.org', password: 'a long enough password', handle: 'socket', displayName: 'Socket' } },
      }),
    });
    const body = (await response.json()) as { data: { signUp: { errors: unknown[]; member: { handle: string } } } };
    expect(body.data.signUp).toMatchObject({ errors: [], member: { handle: 'socket' } });
  });
});

describe('graphql-ws', () => {
  it('delivers membership events to members of the network, with the same context as HTTP', async () => {
    const { client } = wsClient(steward.token);
    const newcomer = await signUp(app);
    const sleep = new Promise((resolve) => setTimeout(resolve, 500));
    const received = collect<{ data: { membershipEvents: unknown } }>(client, print(MembershipEvents), { networkId }, 1, sleep);
    await sleep;
    await join(app, newcomer, networkId);
    const [event] = await received;
    expect(event!.data.membershipEvents).toMatchObject({
      type: 'JOINED',
      membership: { status: 'ACTIVE', member: { handle: newcomer.handle } },
    });
    await client.dispose();
  });

  it('refuses subscriptions to a network the subscriber is not a member of', async () => {
    const outsider = await signUp(app);
    const { client } = wsClient(outsider.token);
    const [result] = await collect<{ errors?: { message: string; extensions: { code: string } }[] }>(
      client,
      print(MembershipEvents),
      { networkId },
      1,
      Promise.resolve(),
    ).catch((errors) => [{ errors }]);
    expect(JSON.stringify(result)).toContain('NOT_FOUND');
    await client.dispose();
  });

});

describe('server-sent events', () => {
  it('delivers the same subscription over SSE', async () => {
    const newcomer = await signUp(app);
    const controller = new AbortController();
    const response = await fetch(server.url, {
      method: 'POST',
      signal: controller.signal,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${steward.token}` },
      body: JSON.stringify({ query: print(MembershipEvents), variables: { networkId } }),
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = response.body!.getReader();
    setTimeout(() => void join(app, newcomer, networkId), 500);
    let text = '';
    while (!text.includes(newcomer.handle)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const line = text.split('\n').find((l) => l.startsWith('data:') && l.includes(newcomer.handle))!;
    expect(JSON.parse(line.slice(5))).toMatchObject({ data: { membershipEvents: { type: 'JOINED' } } });
  });
});

describe('shutdown', () => {
  it('finishes in-flight requests, closes sockets and refuses new connections', async () => {
    // signUp's password hashing tells the test when the request is inside the server, and
    // holds it there while shutdown starts.
    const real = createPasswordHasher();
    let hashing!: () => void;
    const insideServer = new Promise<void>((resolve) => (hashing = resolve));
    const hasher = { ...real, hash: async (password: string) => (hashing(), await new Promise((r) => setTimeout(r, 200)), real.hash(password)) };
    const other = await createTestApp({ hasher });
    const running = await startServer(other, { port: 0, host: '127.0.0.1' });
    const { client: socket, closed: socketClosed } = connect(running.url);
    await connected(socket);

    const inFlight = fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: print(SignUp),
        variables: { input: { email: 'late@example.org', password: 'a long enough password', handle: 'late', displayName: 'Late' } },
      }),
    });
    await insideServer;
    const stopping = running.close();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { signUp: { errors: unknown[] } } }).data.signUp.errors).toEqual([]);
    expect(await socketClosed).toBe(1001);
    await stopping;
    await expect(fetch(running.url.replace('/graphql', '/healthz'))).rejects.toThrow();
  });
});
