import { readFile } from 'node:fs/promises';
import { printSchema } from 'graphql';
import { expect, it } from 'vitest';
import { schema } from '../src/graphql/schema.js';

it('schema/schema.graphql is the printed schema (run `npm run schema:print` after changing the API)', async () => {
  const checkedIn = await readFile('schema/schema.graphql', 'utf8');
  expect(checkedIn).toBe(`${printSchema(schema)}\n`);
});

it('keeps the contract names clients rely on', () => {
  const names = [
    'Member', 'Network', 'Membership', 'UserError', 'AuthPayload', 'NetworkConnection', 'MembershipConnection',
    'Proposal', 'Tally', 'Rule', 'Listing', 'Ask', 'Offer', 'Match', 'Exchange', 'ExchangeEvent', 'AskConnection',
    'OfferConnection', 'ExchangeConnection', 'ProposalConnection', 'Reciprocity', 'PostListingInput', 'ProposeExchangeInput',
  ];
  for (const name of names) expect(schema.getType(name), name).toBeDefined();
  const mutations = Object.keys(schema.getMutationType()!.getFields());
  for (const name of [
    'signUp', 'logIn', 'logOut', 'updateProfile', 'createNetwork', 'joinNetwork', 'leaveNetwork', 'approveMembership',
    'createProposal', 'castVote', 'withdrawProposal', 'postAsk', 'postOffer', 'closeListing', 'proposeExchange',
    'respondToExchange', 'completeExchange', 'confirmExchange', 'cancelExchange',
  ]) {
    expect(mutations).toContain(name);
  }
  const query = schema.getQueryType()!.getFields();
  expect(Object.keys(query)).toEqual(expect.arrayContaining(['node', 'viewer', 'network', 'networks']));
  expect(String(query.networks!.type)).toBe('NetworkConnection!');
  const subscriptions = Object.keys(schema.getSubscriptionType()!.getFields());
  expect(subscriptions).toEqual(expect.arrayContaining(['exchangeEvents', 'listingEvents', 'governanceEvents', 'membershipEvents']));
});
