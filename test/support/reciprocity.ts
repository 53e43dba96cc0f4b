import { expect } from 'vitest';
import { graphql } from '../graphql/index.js';
import type { PostListingInput, ProposeExchangeInput } from '../graphql/graphql.js';
import type { TestApp } from './app.js';
import type { TestMember } from './fixtures.js';

export const PostAsk = graphql(`
  mutation PostAsk($input: PostListingInput!) {
    postAsk(input: $input) {
      ask { id kind title tags status visibility expiresAt author { handle } }
      errors { code message field }
    }
  }
`);

export const PostOffer = graphql(`
  mutation PostOffer($input: PostListingInput!) {
    postOffer(input: $input) {
      offer { id kind title tags status visibility author { handle } }
      errors { code message field }
    }
  }
`);

export const ProposeExchange = graphql(`
  mutation ProposeExchange($input: ProposeExchangeInput!) {
    proposeExchange(input: $input) {
      exchange { id status kind visibility giver { handle } receiver { handle } ask { id status } offer { id status } }
      errors { code message field }
    }
  }
`);

export const RespondToExchange = graphql(`
  mutation RespondToExchange($input: RespondToExchangeInput!) {
    respondToExchange(input: $input) { exchange { id status } errors { code message field } }
  }
`);

export const CompleteExchange = graphql(`
  mutation CompleteExchange($input: CompleteExchangeInput!) {
    completeExchange(input: $input) { exchange { id status completedAt giverGratitude receiverGratitude } errors { code message field } }
  }
`);

export const ConfirmExchange = graphql(`
  mutation ConfirmExchange($input: ConfirmExchangeInput!) {
    confirmExchange(input: $input) {
      exchange { id status giverConfirmedAt receiverConfirmedAt giverGratitude receiverGratitude }
      errors { code message field }
    }
  }
`);

export const CancelExchange = graphql(`
  mutation CancelExchange($input: CancelExchangeInput!) {
    cancelExchange(input: $input) { exchange { id status } errors { code message field } }
  }
`);

type ListingFields = Omit<PostListingInput, 'networkId'>;

export async function postAsk(app: TestApp, member: TestMember, networkId: string, input: ListingFields) {
  const result = await app.execute(PostAsk, { input: { networkId, ...input } }, { token: member.token });
  expect(result.data?.postAsk.errors).toEqual([]);
  return result.data!.postAsk.ask!;
}

export async function postOffer(app: TestApp, member: TestMember, networkId: string, input: ListingFields) {
  const result = await app.execute(PostOffer, { input: { networkId, ...input } }, { token: member.token });
  expect(result.data?.postOffer.errors).toEqual([]);
  return result.data!.postOffer.offer!;
}

/** `proposer` proposes that `giver` gives to `receiver`; fails the test on errors. */
export async function proposeExchange(
  app: TestApp,
  proposer: TestMember,
  input: Omit<ProposeExchangeInput, 'kind'> & { kind?: ProposeExchangeInput['kind'] },
) {
  const result = await app.execute(ProposeExchange, { input: { kind: 'SKILLS', ...input } }, { token: proposer.token });
  expect(result.data?.proposeExchange.errors).toEqual([]);
  return result.data!.proposeExchange.exchange!;
}

/** Proposes, accepts and completes an exchange from `giver` to `receiver`. */
export async function completedExchange(
  app: TestApp,
  giver: TestMember,
  receiver: TestMember,
  networkId: string,
  extra: Partial<ProposeExchangeInput> = {},
) {
  const exchange = await proposeExchange(app, giver, { networkId, giverId: giver.id, receiverId: receiver.id, ...extra });
  const accepted = await app.execute(RespondToExchange, { input: { exchangeId: exchange.id, accept: true } }, { token: receiver.token });
  expect(accepted.data?.respondToExchange.errors).toEqual([]);
  const completed = await app.execute(CompleteExchange, { input: { exchangeId: exchange.id } }, { token: giver.token });
  expect(completed.data?.completeExchange.errors).toEqual([]);
  return exchange;
}
