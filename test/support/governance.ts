import { expect } from 'vitest';
import { graphql } from '../graphql/index.js';
import type { CreateProposalInput, VoteChoice } from '../graphql/graphql.js';
import type { TestApp } from './app.js';
import type { TestMember } from './fixtures.js';

export const CreateProposal = graphql(`
  mutation CreateProposal($input: CreateProposalInput!) {
    createProposal(input: $input) {
      proposal { id title status outcome closesAt tally { yes no abstain block eligible votesCast final quorumMet } }
      errors { code message field }
    }
  }
`);

export const CastVote = graphql(`
  mutation CastVote($input: CastVoteInput!) {
    castVote(input: $input) {
      proposal { id status outcome tally { yes no abstain block eligible votesCast final quorumMet } }
      errors { code message field }
    }
  }
`);

/** The database id inside a global ID. */
export const localId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!;

/** Opens a proposal (body filled in); fails the test on errors. */
export async function propose(
  app: TestApp,
  member: TestMember,
  networkId: string,
  input: Omit<CreateProposalInput, 'networkId' | 'body'> & { body?: string },
) {
  const result = await app.execute(CreateProposal, { input: { body: 'Because it helps.', networkId, ...input } }, { token: member.token });
  expect(result.data?.createProposal.errors).toEqual([]);
  return result.data!.createProposal.proposal!;
}

/** Casts a vote; fails the test on errors; returns the proposal as it stands after. */
export async function vote(app: TestApp, member: TestMember, proposalId: string, choice: VoteChoice, reason?: string) {
  const result = await app.execute(CastVote, { input: { proposalId, choice, reason } }, { token: member.token });
  expect(result.data?.castVote.errors).toEqual([]);
  return result.data!.castVote.proposal!;
}
