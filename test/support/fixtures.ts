import { expect } from 'vitest';
import { graphql } from '../graphql/index.js';
import type { TestApp } from './app.js';

export const SignUp = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      token
      member { id handle displayName email }
      errors { code message field }
    }
  }
`);

export const CreateNetwork = graphql(`
  mutation CreateNetwork($input: CreateNetworkInput!) {
    createNetwork(input: $input) {
      network { id slug name visibility joinPolicy viewerMembership { id role status engagementLevel } }
      errors { code message field }
    }
  }
`);

export const JoinNetwork = graphql(`
  mutation JoinNetwork($input: JoinNetworkInput!) {
    joinNetwork(input: $input) {
      membership { id status role engagementLevel joinedAt member { handle } }
      errors { code message field }
    }
  }
`);

export const ApproveMembership = graphql(`
  mutation ApproveMembership($input: ApproveMembershipInput!) {
    approveMembership(input: $input) {
      membership { id status joinedAt history { kind from to reason actor { handle } } }
      errors { code message field }
    }
  }
`);

export const PASSWORD = 'correct horse battery';

export type TestMember = { id: string; token: string; handle: string; email: string };

const LogInAgain = graphql(`
  mutation LogInAgain($input: LogInInput!) { logIn(input: $input) { token errors { code } } }
`);

/** Logs the member in again (a moved test clock ends their sessions); makes the new
 * session's token theirs and returns it. */
export async function logInAgain(app: TestApp, member: TestMember): Promise<string> {
  const result = await app.execute(LogInAgain, { input: { email: member.email, password: PASSWORD } });
  expect(result.data?.logIn.errors).toEqual([]);
  member.token = result.data!.logIn.token!;
  return member.token;
}

let sequence = 0;

/** Signs up a member with a unique handle; fails the test if that does not work. */
export async function signUp(app: TestApp, handle = `member${++sequence}`): Promise<TestMember> {
  const email = `${handle}@example.org`;
  const result = await app.execute(SignUp, { input: { email, password: PASSWORD, handle, displayName: handle } });
  const payload = result.data?.signUp;
  expect(payload?.errors).toEqual([]);
  return { id: payload!.member!.id, token: payload!.token!, handle, email };
}

type NetworkOptions = Partial<{
  slug: string;
  visibility: 'PUBLIC' | 'PRIVATE';
  joinPolicy: 'OPEN' | 'APPROVAL' | 'INVITATION';
}>;

/** Creates a network owned by `steward`; returns its global id. */
export async function createNetwork(app: TestApp, steward: TestMember, options: NetworkOptions = {}): Promise<string> {
  const slug = options.slug ?? `network-${++sequence}`;
  const result = await app.execute(
    CreateNetwork,
    {
      input: {
        name: `Network ${slug}`,
        slug,
        purpose: 'Neighbours helping neighbours.',
        visibility: options.visibility ?? 'PUBLIC',
        joinPolicy: options.joinPolicy ?? 'OPEN',
        decisionMethod: 'MAJORITY',
        quorum: 0.5,
        votingPeriodHours: 48,
      },
    },
    { token: steward.token },
  );
  expect(result.data?.createNetwork.errors).toEqual([]);
  return result.data!.createNetwork.network!.id;
}

/** Joins a network and returns the membership; fails the test on errors. */
export async function join(app: TestApp, member: TestMember, networkId: string) {
  const result = await app.execute(JoinNetwork, { input: { networkId } }, { token: member.token });
  expect(result.data?.joinNetwork.errors).toEqual([]);
  return result.data!.joinNetwork.membership!;
}
