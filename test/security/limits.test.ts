import { Lexer, Source, TokenKind } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/graphql/limits.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createNetwork, signUp, type TestMember } from '../support/fixtures.js';

// Each limit at its boundary: n accepted, n + 1 rejected, with a code.

let app: TestApp;
let ada: TestMember;

beforeAll(async () => {
  app = await createTestApp();
  ada = await signUp(app, 'ada');
  await createNetwork(app, ada, { slug: 'limits' });
});
afterAll(() => app.close());

/** Runs raw query text (the limits concern documents codegen would not build). */
async function run(query: string, variables: Record<string, unknown> = {}, token: string | null = ada.token) {
  const response = await app.yoga.fetch('http://tiebridge.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };
}
function tokenCount(query: string) {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  while (lexer.advance().kind !== TokenKind.EOF) count++;
  return count;
}
const code = (result: Awaited<ReturnType<typeof run>>) => result.body.errors?.[0]?.extensions?.code ?? null;
const ok = (result: Awaited<ReturnType<typeof run>>) => expect(result.body.errors, JSON.stringify(result.body.errors)).toBeUndefined();

describe('depth', () => {
  // viewer { memberships { edges { node { member { memberships … } } } } }, ending in a
  // scalar of whatever type the path reached. Depth counts the fields on the longest path.
  const chain = (depth: number) => {
    const steps = ['memberships(first: 1)', 'edges', 'node', 'member'];
    const leaves = ['totalCount', 'cursor', 'role', 'id'];
    const inner = depth - 2; // viewer and the leaf are two of the levels
    let query = inner > 0 ? leaves[(inner - 1) % 4]! : 'id';
    for (let i = inner; i >= 1; i--) query = `${steps[(i - 1) % 4]} { ${query} }`;
    return `{ viewer { ${query} } }`;
  };
  it(`accepts ${LIMITS.maxDepth} levels and rejects ${LIMITS.maxDepth + 1}`, async () => {
    ok(await run(chain(LIMITS.maxDepth)));
    const deeper = await run(chain(LIMITS.maxDepth + 1));
    expect(code(deeper)).toBe('QUERY_TOO_COMPLEX');
    expect(deeper.body.errors![0]!.message).toMatch(/depth/i);
  });
});

describe('aliases, directives, tokens and length', () => {
  it(`accepts ${LIMITS.maxAliases} aliases and rejects ${LIMITS.maxAliases + 1}`, async () => {
    const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`;
    ok(await run(aliases(LIMITS.maxAliases)));
    expect(code(await run(aliases(LIMITS.maxAliases + 1)))).toBe('QUERY_TOO_COMPLEX');
  });

  it(`accepts ${LIMITS.maxDirectives} directives and rejects ${LIMITS.maxDirectives + 1}`, async () => {
    const directives = (n: number) => `{ viewer { ${'... @include(if: true) { id } '.repeat(n)}} }`;
    ok(await run(directives(LIMITS.maxDirectives)));
    expect(code(await run(directives(LIMITS.maxDirectives + 1)))).toBe('QUERY_TOO_COMPLEX');
  });

  it(`accepts ${LIMITS.maxTokens} tokens and rejects more`, async () => {
    // A long list argument: every item is a token (the list itself is refused later, as input).
    const head = '{ network(slug: "limits") { activity(first: 1, types: [] ) { totalCount } } }';
    const tokens = (n: number) => head.replace('[]', `[${' "a"'.repeat(n - tokenCount(head))}]`);
    const verdict = async (n: number) => {
      const result = await run(tokens(n));
      return `${code(result)}: ${result.body.errors?.[0]?.message}`;
    };
    expect(await verdict(LIMITS.maxTokens)).not.toMatch(/^QUERY_TOO_COMPLEX/);
    expect(await verdict(LIMITS.maxTokens + 1)).toMatch(/^QUERY_TOO_COMPLEX: Syntax Error: Token limit of 2500 exceeded/);
  });

  it(`accepts ${LIMITS.maxQueryLength} characters and rejects one more`, async () => {
    const base = '{ viewer { id } }';
    const padded = (n: number) => base + ' '.repeat(n - base.length);
    ok(await run(padded(LIMITS.maxQueryLength)));
    const long = await run(padded(LIMITS.maxQueryLength + 1));
    expect(code(long)).toBe('QUERY_TOO_COMPLEX');
  });
});

describe('cost', () => {
  it(`accepts a document costing ${LIMITS.maxCost} and rejects one costing more`, async () => {
    // Cost: 1 per scalar, 2 per object plus its children, times the page size it asks for.
    // networks(100) > edges > node [k scalars] > members(100) > edges > node > member > memberships(m) { totalCount }
    //   = 100 x (2 + 2 + 2 + k + 100 x (2 + 2 + 2 + 2 + 3m)) = 80,600 + 100k + 30,000m
    const costing = (extraAtRoot: string) => `{
      ${extraAtRoot}
      networks(first: 100) { edges { node { ${'id '.repeat(194)}
        members(first: 100) { edges { node { member { memberships(first: 30) { totalCount } } } } }
      } } }
    }`;
    expect(80_600 + 100 * 194 + 30_000 * 30).toBe(LIMITS.maxCost);
    ok(await run(costing('')));
    const expensive = await run(costing('__typename'));
    expect(code(expensive)).toBe('QUERY_TOO_COMPLEX');
    expect(expensive.body.errors![0]!.message).toMatch(/cost limit of 1000000 exceeded, found 1000001/i);
  });
});

describe('page sizes and node count', () => {
  it('require first or last on every connection, from 1 to 100', async () => {
    expect(code(await run('{ networks { totalCount } }'))).toBe('BAD_USER_INPUT');
    ok(await run('{ networks(first: 1) { totalCount } }'));
    ok(await run('{ networks(first: 100) { totalCount } }'));
    expect(code(await run('{ networks(first: 101) { totalCount } }'))).toBe('BAD_USER_INPUT');
    expect(code(await run('{ networks(first: 0) { totalCount } }'))).toBe('BAD_USER_INPUT');
    ok(await run('{ networks(last: 100) { totalCount } }'));
    expect(code(await run('query($n: Int) { networks(first: $n) { totalCount } }', { n: 101 }))).toBe('BAD_USER_INPUT');
    const nested = await run('{ network(slug: "limits") { members { totalCount } } }');
    expect(nested.body.errors![0]!.message).toBe('Network.members needs first or last (1 to 100).');
  });

  it(`accepts ${LIMITS.maxNodes} nodes and rejects one more`, async () => {
    // 50 + 50 x 99 + 50 x 99 x 100 = 500,000 (page sizes as variables, as clients send them)
    const query = (extra: string) => `query($a: Int, $b: Int, $c: Int${extra ? ', $d: Int' : ''}) {
      networks(first: $a) { edges { node {
        members(first: $b) { edges { node { member { memberships(first: $c) { totalCount } } } } }
      } } }
      ${extra}
    }`;
    const sizes = { a: 50, b: 99, c: 100 };
    ok(await run(query(''), sizes));
    const over = await run(query('viewer { memberships(first: $d) { totalCount } }'), { ...sizes, d: 1 });
    expect(code(over)).toBe('QUERY_TOO_COMPLEX');
    expect(over.body.errors![0]!.message).toBe('This query could return 500001 nodes; the limit is 500000. Ask for smaller pages.');
  });
});

describe('requests', () => {
  it('refuses batched JSON arrays', async () => {
    const response = await app.yoga.fetch('http://tiebridge.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ viewer { id } }' }, { query: '{ viewer { id } }' }]),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it('refuses mutations over GET, and GET requests without the CSRF header', async () => {
    const mutation = encodeURIComponent('mutation { logOut }');
    const viaGet = await app.yoga.fetch(`http://tiebridge.test/graphql?query=${mutation}`, {
      headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
    });
    expect(viaGet.status).toBe(405);
    const noHeader = await app.yoga.fetch(`http://tiebridge.test/graphql?query=${encodeURIComponent('{ viewer { id } }')}`);
    expect(noHeader.status).toBe(403);
    const withHeader = await app.yoga.fetch(`http://tiebridge.test/graphql?query=${encodeURIComponent('{ viewer { id } }')}`, {
      headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
    });
    expect(withHeader.status).toBe(200);
  });

  it('suggests fields and allows introspection outside production', async () => {
    const typo = await run('{ viewr { id } }');
    expect(typo.body.errors![0]!.message).toContain('Did you mean');
    ok(await run('{ __schema { queryType { name } } }'));
  });
});

describe('in production', () => {
  let production: TestApp;
  beforeAll(async () => {
    production = await createTestApp({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => production.close());

  it('hides field suggestions, turns introspection off and serves no GraphiQL', async () => {
    const post = async (query: string) => {
      const response = await production.yoga.fetch('http://tiebridge.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as { errors?: { message: string }[] };
    };
    const typo = await post('{ viewr { id } }');
    expect(typo.errors![0]!.message).not.toContain('Did you mean');
    const introspection = await post('{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await production.yoga.fetch('http://tiebridge.test/graphql', { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toContain('GraphiQL');
  });
});
