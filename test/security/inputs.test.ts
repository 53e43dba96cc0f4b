import {
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '../../src/graphql/limits.js';
import { schema } from '../../src/graphql/schema.js';
import { graphql } from '../graphql/index.js';
import { createTestApp, type TestApp } from '../support/app.js';
import { createNetwork, signUp, type TestMember } from '../support/fixtures.js';
import { PostOffer } from '../support/reciprocity.js';

// Every string argument has a length limit and every list argument a size limit, for
// every operation in the schema (operations added later are swept too); values that do
// not fit their type are BAD_USER_INPUT, never a server error; refused input changes nothing.

const SearchNetworks = graphql(`
  query InputsSearchNetworks($search: String) { networks(first: 5, search: $search) { totalCount } }
`);
const CreateNamedNetwork = graphql(`
  mutation InputsCreateNetwork($input: CreateNetworkInput!) { createNetwork(input: $input) { network { id } errors { code field } } }
`);

let app: TestApp;
let ada: TestMember;
let networkId: string;

beforeAll(async () => {
  app = await createTestApp();
  ada = await signUp(app, 'ada');
  networkId = await createNetwork(app, ada, { slug: 'inputs' });
});
afterAll(() => app.close());

type Response = { status: number; body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } };

async function post(query: string, variables: Record<string, unknown> = {}): Promise<Response> {
  const response = await app.yoga.fetch('http://tiebridge.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ada.token}`, 'x-forwarded-for': '192.0.2.10' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as Response['body'] };
}

const codeOf = (response: Response) => response.body.errors?.[0]?.extensions?.code;

/** Rows written so far: every write records activity, and webhooks read from the outbox. */
const writes = async () => ({
  activity: await app.database.prisma.activity.count(),
  members: await app.database.prisma.member.count(),
  networks: await app.database.prisma.network.count(),
});

// --- Building arguments from the schema -------------------------------------------------

/** Where a value sits inside an argument: property names and list positions. */
type Path = (string | number)[];

/** The smallest value of `type` that GraphQL accepts (fields left out where optional). */
function sample(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return sample(type.ofType);
  if (isListType(type)) return [sample(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = sample(field.type);
    }
    return value;
  }
  switch (getNamedType(type).name) {
    case 'Int':
      return 1;
    case 'Float':
      return 0.5;
    case 'Boolean':
      return true;
    case 'DateTime':
      return '2030-01-01T00:00:00.000Z';
    case 'JSONObject':
      return {};
    default:
      return 'x';
  }
}

/** Every path under `type` that holds text (String, ID, or anything inside a JSON object) or a list. */
function leaves(type: GraphQLInputType, path: Path, found: { text: Path[]; lists: Path[] }, depth = 0) {
  if (depth > 6) return;
  if (isNonNullType(type)) return leaves(type.ofType, path, found, depth);
  if (isListType(type)) {
    found.lists.push(path);
    return leaves(type.ofType, [...path, 0], found, depth + 1);
  }
  if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) leaves(field.type, [...path, field.name], found, depth + 1);
    return;
  }
  if (isScalarType(type) && ['String', 'ID'].includes(type.name)) found.text.push(path);
  if (isScalarType(type) && type.name === 'JSONObject') found.text.push([...path, 'note']);
}

/** `base` with `value` placed at `path`, creating objects and lists on the way. */
function placed(base: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (typeof head === 'number') {
    const list = Array.isArray(base) ? [...base] : [];
    list[head] = placed(list[head], rest, value);
    return list;
  }
  const object = base && typeof base === 'object' && !Array.isArray(base) ? { ...(base as Record<string, unknown>) } : {};
  object[head!] = placed(object[head!], rest, value);
  return object;
}

type Case = { operation: 'query' | 'mutation' | 'subscription'; field: GraphQLField<unknown, unknown>; arg: GraphQLArgument; path: Path; kind: 'text' | 'list' };

function cases(): Case[] {
  const all: Case[] = [];
  const roots = [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
    ['subscription', schema.getSubscriptionType()],
  ] as const;
  for (const [operation, root] of roots) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      for (const arg of field.args) {
        const found = { text: [] as Path[], lists: [] as Path[] };
        leaves(arg.type, [], found);
        for (const path of found.text) all.push({ operation, field, arg, path, kind: 'text' });
        for (const path of found.lists) all.push({ operation, field, arg, path, kind: 'list' });
      }
    }
  }
  return all;
}

/** Runs `field` with its required arguments sampled and `value` at `path` of `arg`. */
function run({ operation, field, arg }: Case, path: Path, value: unknown) {
  const variables: Record<string, unknown> = {};
  const declarations: string[] = [];
  for (const a of field.args) {
    const required = isNonNullType(a.type) && a.defaultValue === undefined;
    if (a !== arg && !required) continue;
    let v = a === arg ? placed(required || path.length ? sample(a.type) : undefined, path, value) : sample(a.type);
    if (a.name === 'first' && a !== arg) v = 1;
    variables[a.name] = v;
    declarations.push(`$${a.name}: ${a.type.toString()}`);
  }
  const pageSize = field.args.some((a) => a.name === 'first') && arg.name !== 'first' && !('first' in variables) ? ', first: 1' : '';
  const args = Object.keys(variables).map((name) => `${name}: $${name}`).join(', ');
  const selection = isScalarType(getNamedType(field.type)) || isEnumType(getNamedType(field.type)) ? '' : ' { __typename }';
  const query = `${operation} Sweep${declarations.length ? `(${declarations.join(', ')})` : ''} { ${field.name}${args || pageSize ? `(${args}${pageSize})` : ''}${selection} }`;
  return post(query, variables);
}

describe('every operation', () => {
  const all = cases();

  it('has string and list arguments to sweep', () => {
    // Guards the sweep itself: a schema walk that found nothing would prove nothing.
    expect(all.filter((c) => c.kind === 'text').length).toBeGreaterThan(50);
    expect(all.filter((c) => c.kind === 'list').length).toBeGreaterThan(3);
    expect(new Set(all.map((c) => c.field.name)).size).toBeGreaterThan(30);
  });

  it(`refuses text of ${LIMITS.maxStringInput + 1} characters in any argument, and writes nothing`, async () => {
    const before = await writes();
    const failures: string[] = [];
    for (const c of all.filter((c) => c.kind === 'text')) {
      const response = await run(c, c.path, 'x'.repeat(LIMITS.maxStringInput + 1));
      if (codeOf(response) !== 'BAD_USER_INPUT' || response.body.data) {
        failures.push(`${c.field.name}(${c.arg.name}.${c.path.join('.')}): ${JSON.stringify(response.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await writes()).toEqual(before);
  });

  it(`refuses lists of ${LIMITS.maxListInput + 1} items in any argument, and writes nothing`, async () => {
    const before = await writes();
    const failures: string[] = [];
    for (const c of all.filter((c) => c.kind === 'list')) {
      const response = await run(c, c.path, Array.from({ length: LIMITS.maxListInput + 1 }, () => sample(getListItemType(c))));
      if (codeOf(response) !== 'BAD_USER_INPUT' || response.body.data) {
        failures.push(`${c.field.name}(${c.arg.name}.${c.path.join('.')}): ${JSON.stringify(response.body).slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await writes()).toEqual(before);
  });
});

/** The item type of the list at a case's path. */
function getListItemType(c: Case): GraphQLInputType {
  let type: GraphQLInputType = c.arg.type;
  for (const step of c.path) {
    while (isNonNullType(type)) type = type.ofType;
    if (typeof step === 'number' && isListType(type)) type = type.ofType;
    else if (isInputObjectType(type)) type = type.getFields()[step as string]!.type;
  }
  while (isNonNullType(type)) type = type.ofType;
  if (!isListType(type)) throw new Error(`no list at ${c.path.join('.')}`);
  return type.ofType;
}

describe('boundaries', () => {
  it(`accepts text of ${LIMITS.maxStringInput} characters and refuses ${LIMITS.maxStringInput + 1}`, async () => {
    const accepted = await app.execute(SearchNetworks, { search: 'x'.repeat(LIMITS.maxStringInput) });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.networks.totalCount).toBe(0);
    const refused = await app.execute(SearchNetworks, { search: 'x'.repeat(LIMITS.maxStringInput + 1) });
    expect(refused.errors?.[0]).toMatchObject({
      message: `Variable $search is ${LIMITS.maxStringInput + 1} characters long; the limit is ${LIMITS.maxStringInput}.`,
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(refused.data).toBeUndefined();
  });

  it(`passes a list of ${LIMITS.maxListInput} items on to the operation's own rules and refuses ${LIMITS.maxListInput + 1}`, async () => {
    const tags = (n: number) => Array.from({ length: n }, (_, i) => `tag${i}`);
    const accepted = await app.execute(PostOffer, { input: { networkId, kind: 'SKILLS', title: 'Many tags', tags: tags(LIMITS.maxListInput) } }, { token: ada.token });
    // The operation's own, tighter rule answers: at most 10 tags.
    expect(accepted.data!.postOffer.errors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['tags'] })]);
    const refused = await app.execute(PostOffer, { input: { networkId, kind: 'SKILLS', title: 'Many tags', tags: tags(LIMITS.maxListInput + 1) } }, { token: ada.token });
    expect(refused.errors?.[0]).toMatchObject({
      message: `Variable $input.tags has ${LIMITS.maxListInput + 1} items; the limit is ${LIMITS.maxListInput}.`,
      extensions: { code: 'BAD_USER_INPUT' },
    });
  });

  it('gives each text field its own, tighter limit, answered on the field', async () => {
    const input = { name: 'n'.repeat(LIMITS.maxStringInput), slug: 'long-name', purpose: 'x', visibility: 'PUBLIC', joinPolicy: 'OPEN', decisionMethod: 'MAJORITY', quorum: 0.5, votingPeriodHours: 24 } as const;
    const result = await app.execute(CreateNamedNetwork, { input }, { token: ada.token });
    expect(result.data!.createNetwork).toEqual({ network: null, errors: [{ code: 'BAD_USER_INPUT', field: ['name'] }] });
  });
});

describe('malformed values', () => {
  const cases: [string, string, Record<string, unknown>?][] = [
    ['an ID that is not base64 of a global id', '{ node(id: "garbage") { id } }'],
    ['an ID of a type with a malformed key', '{ node(id: "TWVtYmVyOjE=") { id } }'],
    ['an ID given as a number', 'query($id: ID!) { node(id: $id) { id } }', { id: 12 }],
    ['a missing required variable', 'query($id: ID!) { node(id: $id) { id } }', {}],
    ['a null required variable', 'query($id: ID!) { node(id: $id) { id } }', { id: null }],
    ['an enum value that does not exist, as a literal', 'mutation { postOffer(input: { networkId: "x", kind: NOPE, title: "x" }) { errors { code } } }'],
    ['an enum value that does not exist, as a variable', 'mutation($input: PostListingInput!) { postOffer(input: $input) { errors { code } } }', { input: { networkId: 'x', kind: 'NOPE', title: 'x' } }],
    ['a date that is not a date', 'mutation($input: PostListingInput!) { postOffer(input: $input) { errors { code } } }', { input: { networkId: 'x', kind: 'SKILLS', title: 'x', expiresAt: 'next tuesday' } }],
    ['a date that does not exist', 'mutation($input: PostListingInput!) { postOffer(input: $input) { errors { code } } }', { input: { networkId: 'x', kind: 'SKILLS', title: 'x', expiresAt: '2027-02-30T00:00:00Z' } }],
    ['an Int out of range', 'query($n: Int) { networks(first: $n) { totalCount } }', { n: 2 ** 31 }],
    ['a string where an Int goes', '{ networks(first: "ten") { totalCount } }'],
    ['an object where a string goes', 'query($s: String) { networks(first: 1, search: $s) { totalCount } }', { s: { a: 1 } }],
    ['a cursor that is not one of ours', '{ networks(first: 5, after: "garbage") { totalCount } }'],
  ];
  it.each(cases)('%s is BAD_USER_INPUT', async (_, query, variables) => {
    const before = await writes();
    const response = await post(query, variables);
    expect(response.status).toBeLessThan(500);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(await writes()).toEqual(before);
  });

  it('answers an ID of the wrong type in a mutation on the field', async () => {
    const result = await app.execute(PostOffer, { input: { networkId: ada.id, kind: 'SKILLS', title: 'x' } }, { token: ada.token });
    expect(result.data!.postOffer.errors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', field: ['networkId'] })]);
  });
});
