import { readFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { expect, it } from 'vitest';
import { schema } from '../src/graphql/schema.js';

it('schema/schema.graphql is the printed schema (run `npm run schema:print` after changing the API)', async () => {
  const checkedIn = await readFile('schema/schema.graphql', 'utf8');
  expect(checkedIn).toBe(`${printSchema(schema)}\n`);
});

it('keeps the contract names clients rely on', () => {
  const names = ['Member', 'Network', 'Membership', 'UserError', 'AuthPayload', 'NetworkConnection', 'MembershipConnection'];
  for (const name of names) expect(schema.getType(name), name).toBeDefined();
  const mutations = Object.keys(schema.getMutationType()!.getFields());
  for (const name of ['signUp', 'logIn', 'logOut', 'updateProfile', 'createNetwork', 'joinNetwork', 'leaveNetwork', 'approveMembership']) {
    expect(mutations).toContain(name);
  }
  const query = schema.getQueryType()!.getFields();
  expect(Object.keys(query)).toEqual(expect.arrayContaining(['node', 'viewer', 'network', 'networks']));
  expect(String(query.networks!.type)).toBe('NetworkConnection!');
});
