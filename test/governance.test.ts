import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from './graphql/index.js';
import { createTestApp, type TestApp } from './support/app.js';
import { ApproveMembership, createNetwork, join, signUp, type TestMember } from './support/fixtures.js';
import { CastVote, CreateProposal, localId, propose, vote } from './support/governance.js';
import { statementsToHear, subscribe } from './support/subscriptions.js';

const NetworkGovernance = graphql(`
  query NetworkGovernance($slug: String!) {
    network(slug: $slug) {
      purpose
      goals { title status }
      rules { id kind title body version decisionMethod quorum votingPeriodHours versions { version decisionMethod } }
      proposals(first: 20) { totalCount edges { node { title status } } }
    }
  }
`);

const ProposalDetails = graphql(`
  query ProposalDetails($id: ID!) {
    node(id: $id) {
      ... on Proposal {
        status outcome
        tally { yes no abstain block eligible votesCast quorumNeeded quorumMet final }
        viewerVote { choice reason }
        votes { choice reason member { handle } }
        decisionRule { version decisionMethod }
      }
    }
  }
`);

const NetworkVotes = graphql(`
  query NetworkVotes($slug: String!) {
    network(slug: $slug) { proposals(first: 20) { edges { node { id status votes { choice member { handle } } } } } }
  }
`);

const WithdrawProposal = graphql(`
  mutation WithdrawProposal($input: WithdrawProposalInput!) {
    withdrawProposal(input: $input) { proposal { status } errors { code message field } }
  }
`);

const GovernanceEvents = graphql(`
  subscription GovernanceEvents($networkId: ID!) {
    governanceEvents(networkId: $networkId) {
      type
      proposal { title status votes { choice } }
      rule { title }
    }
  }
`);

let app: TestApp;
let members: TestMember[];
let [ada, grace, linus, mira]: TestMember[] = [];
let networkId: string;
const slug = 'riverside';

beforeAll(async () => {
  app = await createTestApp();
  members = [await signUp(app, 'ada'), await signUp(app, 'grace'), await signUp(app, 'linus'), await signUp(app, 'mira')];
  [ada, grace, linus, mira] = members as [TestMember, TestMember, TestMember, TestMember];
  networkId = await createNetwork(app, ada!, { slug });
  for (const m of members.slice(1)) await join(app, m, networkId);
});
afterAll(() => app.close());

const rules = async () => (await app.execute(NetworkGovernance, { slug }, { token: ada!.token })).data!.network!;
const decisionRuleId = async () => (await rules()).rules.find((r) => r.kind === 'DECISION_MAKING')!.id;

/** Everyone votes as listed (in member order); the last vote closes the proposal. */
async function decide(proposalId: string, choices: ('YES' | 'NO' | 'ABSTAIN' | 'BLOCK')[]) {
  let last;
  for (const [i, choice] of choices.entries()) last = await vote(app, members[i]!, proposalId, choice);
  return last!;
}

describe('a network governing itself', () => {
  it('adopts a participation rule by majority', async () => {
    const proposal = await propose(app, grace!, networkId, {
      title: 'Show up or say so',
      action: 'ADOPT_RULE',
      ruleKind: 'PARTICIPATION',
      ruleTitle: 'Show up or say so',
      ruleBody: 'Members who cannot come to a meetup they said yes to let the organiser know.',
    });
    expect(proposal).toMatchObject({ status: 'OPEN', tally: { eligible: 4, votesCast: 0, final: false } });
    const closed = await decide(proposal.id, ['YES', 'YES', 'NO', 'YES']);
    expect(closed).toMatchObject({ status: 'PASSED', tally: { yes: 3, no: 1, final: true, quorumMet: true } });
    expect((await rules()).rules.map((r) => [r.kind, r.title, r.version])).toEqual([
      ['DECISION_MAKING', 'How we decide', 1],
      ['PARTICIPATION', 'Show up or say so', 1],
    ]);
  });

  it('moves to SUPERMAJORITY by majority, then to CONSENSUS by a two-thirds supermajority', async () => {
    const toSuper = await propose(app, ada!, networkId, {
      title: 'Bigger decisions need more of us',
      action: 'AMEND_RULE',
      ruleId: await decisionRuleId(),
      decisionMethod: 'SUPERMAJORITY',
    });
    expect((await decide(toSuper.id, ['YES', 'YES', 'YES', 'NO'])).status).toBe('PASSED');

    const toConsensus = await propose(app, ada!, networkId, {
      title: 'Decide by consensus',
      action: 'AMEND_RULE',
      ruleId: await decisionRuleId(),
      decisionMethod: 'CONSENSUS',
    });
    // Exactly two thirds of YES and NO (the abstention is left out) is enough.
    const closed = await decide(toConsensus.id, ['YES', 'YES', 'NO', 'ABSTAIN']);
    expect(closed).toMatchObject({ status: 'PASSED', tally: { yes: 2, no: 1, abstain: 1 } });

    const decisionRule = (await rules()).rules.find((r) => r.kind === 'DECISION_MAKING')!;
    expect(decisionRule).toMatchObject({ version: 3, decisionMethod: 'CONSENSUS', quorum: 0.5 });
    expect(decisionRule.body).toBe(
      'Proposals pass with at least one YES and no BLOCK, when at least 50% of active members vote within 48 hours.',
    );
    expect(decisionRule.versions.map((v) => [v.version, v.decisionMethod])).toEqual([
      [3, 'CONSENSUS'],
      [2, 'SUPERMAJORITY'],
      [1, 'MAJORITY'],
    ]);
  });

  it('lets one BLOCK stop a proposal under consensus', async () => {
    const proposal = await propose(app, linus!, networkId, {
      title: 'Rename ourselves',
      action: 'UPDATE_PURPOSE',
      purpose: 'Fix everything, everywhere.',
    });
    const closed = await decide(proposal.id, ['YES', 'YES', 'YES', 'BLOCK']);
    expect(closed).toMatchObject({ status: 'REJECTED', outcome: 'Blocked by 1 member.' });
    expect((await rules()).purpose).toBe('Neighbours helping neighbours.');
  });

  it('updates the purpose when a proposal passes', async () => {
    const proposal = await propose(app, mira!, networkId, {
      title: 'Say what we do',
      action: 'UPDATE_PURPOSE',
      purpose: 'Neighbours who fix things together.',
    });
    expect((await decide(proposal.id, ['YES', 'YES', 'YES', 'YES'])).status).toBe('PASSED');
    expect((await rules()).purpose).toBe('Neighbours who fix things together.');
  });

  it('applies the decision rule in force when the proposal opened', async () => {
    // Opened under CONSENSUS; the rule becomes MAJORITY before it closes.
    const early = await propose(app, ada!, networkId, { title: 'Fix 100 bikes', action: 'SET_GOAL', goalTitle: 'Fix 100 bikes' });
    const back = await propose(app, ada!, networkId, {
      title: 'Back to majority',
      action: 'AMEND_RULE',
      ruleId: await decisionRuleId(),
      decisionMethod: 'MAJORITY',
    });
    expect((await decide(back.id, ['YES', 'YES', 'YES', 'YES'])).status).toBe('PASSED');
    const closed = await decide(early.id, ['YES', 'YES', 'YES', 'BLOCK']);
    expect(closed).toMatchObject({ status: 'REJECTED', outcome: 'Blocked by 1 member.' });
    const details = await app.execute(ProposalDetails, { id: early.id }, { token: ada!.token });
    expect(details.data!.node).toMatchObject({ decisionRule: { version: 3, decisionMethod: 'CONSENSUS' } });
  });
});

describe('more actions', () => {
  let pairId: string;
  let pairSlug: string;
  beforeAll(async () => {
    pairSlug = 'pair-actions';
    pairId = await createNetwork(app, ada!, { slug: pairSlug });
    await join(app, grace!, pairId);
  });
  const both = async (proposalId: string) => {
    await vote(app, ada!, proposalId, 'YES');
    return vote(app, grace!, proposalId, 'YES');
  };
  const pairRules = async () => (await app.execute(NetworkGovernance, { slug: pairSlug }, { token: ada!.token })).data!.network!;

  it('amends a rule into a new version and repeals it, keeping the old versions readable', async () => {
    const adopt = await propose(app, ada!, pairId, { title: 'Quiet hours', action: 'ADOPT_RULE', ruleKind: 'CONDUCT', ruleTitle: 'Quiet hours', ruleBody: 'No power tools after 8pm.' });
    await both(adopt.id);
    const ruleId = (await pairRules()).rules.find((r) => r.kind === 'CONDUCT')!.id;
    const amend = await propose(app, grace!, pairId, { title: 'Later', action: 'AMEND_RULE', ruleId, ruleBody: 'No power tools after 9pm.' });
    await both(amend.id);
    const amended = (await pairRules()).rules.find((r) => r.id === ruleId)!;
    expect(amended).toMatchObject({ title: 'Quiet hours', body: 'No power tools after 9pm.', version: 2 });
    expect(amended.versions.map((v) => v.version)).toEqual([2, 1]);

    const repeal = await propose(app, ada!, pairId, { title: 'Drop it', action: 'REPEAL_RULE', ruleId });
    await both(repeal.id);
    expect((await pairRules()).rules.map((r) => r.kind)).toEqual(['DECISION_MAKING']);
    const RuleNode = graphql(`query RuleNode($id: ID!) { node(id: $id) { ... on Rule { repealedAt versions { body } } } }`);
    const node = (await app.execute(RuleNode, { id: ruleId }, { token: ada!.token })).data!.node;
    expect(node).toMatchObject({ versions: [{ body: 'No power tools after 9pm.' }, { body: 'No power tools after 8pm.' }] });
    expect(node && 'repealedAt' in node && node.repealedAt).toBeTruthy();
  });

  it('changes roles and removes members', async () => {
    const promote = await propose(app, ada!, pairId, { title: 'Grace stewards too', action: 'CHANGE_ROLE', memberId: grace!.id, role: 'STEWARD' });
    expect((await both(promote.id)).status).toBe('PASSED');
    const third = await signUp(app);
    await join(app, third, pairId);
    const remove = await propose(app, grace!, pairId, { title: 'Remove', action: 'REMOVE_MEMBER', memberId: third.id });
    await vote(app, third, remove.id, 'NO');
    expect((await both(remove.id)).status).toBe('PASSED');
    const rows = await app.database.prisma.membership.findMany({ where: { networkId: localId(pairId) }, include: { member: true } });
    expect(rows.map((m) => [m.member.handle, m.role, m.status]).sort()).toEqual(
      [
        ['ada', 'STEWARD', 'ACTIVE'],
        ['grace', 'STEWARD', 'ACTIVE'],
        [third.handle, 'MEMBER', 'REMOVED'],
      ].sort(),
    );
  });
});

describe('votes', () => {
  it('can be changed until the proposal closes, and stay secret until then', async () => {
    const proposal = await propose(app, ada!, networkId, { title: 'Tool library', action: 'SET_GOAL', goalTitle: 'Open a tool library' });
    await vote(app, grace!, proposal.id, 'NO');
    const changed = await vote(app, grace!, proposal.id, 'YES', 'Convinced');
    expect(changed.tally).toMatchObject({ yes: 1, no: 0, votesCast: 1, final: false });
    const asGrace = (await app.execute(ProposalDetails, { id: proposal.id }, { token: grace!.token })).data!.node;
    expect(asGrace).toMatchObject({ viewerVote: { choice: 'YES', reason: 'Convinced' }, votes: [] });
    const asLinus = (await app.execute(ProposalDetails, { id: proposal.id }, { token: linus!.token })).data!.node;
    expect(asLinus).toMatchObject({ viewerVote: { choice: null }, votes: [] });
    // Read with the network's other proposals too (ballots loaded with the list).
    const listed = (await app.execute(NetworkVotes, { slug }, { token: linus!.token })).data!.network!.proposals.edges;
    expect(listed.find((e) => e.node.id === proposal.id)!.node).toMatchObject({ status: 'OPEN', votes: [] });

    await vote(app, ada!, proposal.id, 'YES');
    await vote(app, linus!, proposal.id, 'ABSTAIN');
    await vote(app, mira!, proposal.id, 'NO');
    const after = (await app.execute(ProposalDetails, { id: proposal.id }, { token: linus!.token })).data!.node;
    expect(after).toMatchObject({ status: 'PASSED', tally: { yes: 2, no: 1, abstain: 1, final: true } });
    expect(after && 'votes' in after && after.votes.map((v) => [v.member.handle, v.choice])).toEqual([
      ['grace', 'YES'],
      ['ada', 'YES'],
      ['linus', 'ABSTAIN'],
      ['mira', 'NO'],
    ]);
    const late = await app.execute(CastVote, { input: { proposalId: proposal.id, choice: 'NO' } }, { token: mira!.token });
    expect(late.data!.castVote.errors).toEqual([{ code: 'CONFLICT', message: 'Voting on this proposal has ended.', field: ['proposalId'] }]);
  });

  it('belong to the members who were active when the proposal opened', async () => {
    const proposal = await propose(app, ada!, networkId, { title: 'Late joiners', action: 'SET_GOAL', goalTitle: 'Welcome newcomers' });
    const newcomer = await signUp(app);
    await join(app, newcomer, networkId);
    const refused = await app.execute(CastVote, { input: { proposalId: proposal.id, choice: 'YES' } }, { token: newcomer.token });
    expect(refused.data!.castVote.errors[0]).toMatchObject({ code: 'FORBIDDEN' });
    const outsider = await signUp(app);
    const hidden = await app.execute(CastVote, { input: { proposalId: proposal.id, choice: 'YES' } }, { token: outsider.token });
    expect(hidden.data!.castVote.errors).toEqual([{ code: 'NOT_FOUND', message: 'No such proposal.', field: ['proposalId'] }]);
  });
});

describe('withdrawing', () => {
  it('is for the proposer, while the proposal is open; votes on it are then refused', async () => {
    const proposal = await propose(app, grace!, networkId, { title: 'Second thoughts', action: 'SET_GOAL', goalTitle: 'Maybe' });
    const notYours = await app.execute(WithdrawProposal, { input: { proposalId: proposal.id } }, { token: ada!.token });
    expect(notYours.data!.withdrawProposal.errors[0]?.code).toBe('FORBIDDEN');
    const withdrawn = await app.execute(WithdrawProposal, { input: { proposalId: proposal.id } }, { token: grace!.token });
    expect(withdrawn.data!.withdrawProposal).toEqual({ proposal: { status: 'WITHDRAWN' }, errors: [] });
    const refused = await app.execute(CastVote, { input: { proposalId: proposal.id, choice: 'YES' } }, { token: ada!.token });
    expect(refused.data!.castVote.errors[0]?.code).toBe('CONFLICT');
  });
});

describe('proposal input', () => {
  it('is checked against the action and the network, with typed errors and nothing written', async () => {
    const before = await app.database.prisma.proposal.count();
    const attempt = async (input: Parameters<typeof propose>[3]) => {
      const result = await app.execute(CreateProposal, { input: { networkId, body: 'Because.', ...input } }, { token: ada!.token });
      return result.data!.createProposal.errors.map((e) => [e.code, e.field?.join('.')]);
    };
    expect(await attempt({ title: 'x', action: 'ADOPT_RULE', ruleKind: 'CONDUCT' })).toEqual([
      ['BAD_USER_INPUT', 'ruleTitle'],
      ['BAD_USER_INPUT', 'ruleBody'],
    ]);
    const otherNetwork = await createNetwork(app, grace!);
    const foreignRule = (await app.database.prisma.rule.findFirstOrThrow({ where: { networkId: localId(otherNetwork) } })).id;
    expect(await attempt({ title: 'x', action: 'REPEAL_RULE', ruleId: Buffer.from(`Rule:${foreignRule}`).toString('base64') })).toEqual([
      ['NOT_FOUND', 'ruleId'],
    ]);
    expect(await attempt({ title: 'x', action: 'REPEAL_RULE', ruleId: await decisionRuleId() })).toEqual([['BAD_USER_INPUT', 'ruleId']]);
    expect(await attempt({ title: 'x', action: 'UPDATE_PURPOSE', purpose: 'y', goalTitle: 'z' })).toEqual([
      ['BAD_USER_INPUT', 'goalTitle'],
    ]);
    expect(await attempt({ title: ' ', action: 'ADMIT_MEMBER', memberId: grace!.id })).toEqual([['BAD_USER_INPUT', 'title']]);
    expect(await attempt({ title: 'x', action: 'ADMIT_MEMBER', memberId: grace!.id })).toEqual([['NOT_FOUND', 'memberId']]);
    expect(await attempt({ title: 'x', action: 'CHANGE_ROLE', memberId: 'nope', role: 'STEWARD' })).toEqual([
      ['BAD_USER_INPUT', 'memberId'],
    ]);
    expect(await app.database.prisma.proposal.count()).toBe(before);
  });

  it('comes only from active members', async () => {
    const outsider = await signUp(app);
    const result = await app.execute(
      CreateProposal,
      { input: { networkId, title: 'x', body: 'y', action: 'UPDATE_PURPOSE', purpose: 'z' } },
      { token: outsider.token },
    );
    expect(result.data!.createProposal.errors[0]?.code).toBe('FORBIDDEN');
  });
});

describe('admission by vote', () => {
  it('lets the members of an APPROVAL network admit an applicant', async () => {
    const circleId = await createNetwork(app, ada!, { joinPolicy: 'APPROVAL' });
    const admitted = await join(app, grace!, circleId);
    await app.execute(ApproveMembership, { input: { membershipId: admitted.id } }, { token: ada!.token });
    const applicant = await signUp(app, 'applicant');
    expect((await join(app, applicant, circleId)).status).toBe('PENDING');

    const proposal = await propose(app, grace!, circleId, { title: 'Welcome applicant', action: 'ADMIT_MEMBER', memberId: applicant.id });
    await vote(app, ada!, proposal.id, 'YES');
    expect((await vote(app, grace!, proposal.id, 'YES')).status).toBe('PASSED');
    const membership = await app.database.prisma.membership.findFirstOrThrow({
      where: { networkId: localId(circleId), memberId: localId(applicant.id) },
      include: { changes: { orderBy: { id: 'asc' } } },
    });
    expect(membership.status).toBe('ACTIVE');
    expect(membership.changes.at(-1)).toMatchObject({ toValue: 'ACTIVE', reason: 'Admitted by proposal "Welcome applicant"', actorId: null });
  });
});

describe('governanceEvents', () => {
  it('tell members about proposals and votes without revealing choices before the close', async () => {
    const pairId = await createNetwork(app, ada!);
    await join(app, grace!, pairId);
    const events = await subscribe(app, GovernanceEvents, { networkId: pairId }, grace!.token);
    const proposal = await propose(app, ada!, pairId, {
      title: 'Be kind',
      action: 'ADOPT_RULE',
      ruleKind: 'CONDUCT',
      ruleTitle: 'Be kind',
      ruleBody: 'Assume good intent.',
    });
    expect((await events.next()).data!.governanceEvents).toMatchObject({ type: 'PROPOSAL_OPENED', proposal: { title: 'Be kind' } });
    await vote(app, ada!, proposal.id, 'NO');
    const cast = (await events.next()).data!.governanceEvents;
    expect(cast).toMatchObject({ type: 'PROPOSAL_VOTE_CAST', proposal: { status: 'OPEN', votes: [] } });
    expect(JSON.stringify(cast)).not.toContain('"NO"');
    await vote(app, ada!, proposal.id, 'YES');
    await vote(app, grace!, proposal.id, 'YES');
    const rest = [];
    while (rest.length < 4) rest.push((await events.next()).data!.governanceEvents);
    expect(rest.map((e) => e.type)).toEqual(['PROPOSAL_VOTE_CAST', 'PROPOSAL_VOTE_CAST', 'RULE_ADOPTED', 'PROPOSAL_CLOSED']);
    expect(rest[2]).toMatchObject({ rule: { title: 'Be kind' } });
    expect(rest[3]).toMatchObject({ proposal: { status: 'PASSED', votes: [{ choice: 'YES' }, { choice: 'YES' }] } });
    events.close();
  });

  it('read what an event needs once for all its subscribers, however many there are', async () => {
    const hostId = await createNetwork(app, ada!);
    const statementsFor = async (subscribers: number) => {
      const listeners: TestMember[] = [];
      for (let i = 0; i < subscribers; i++) listeners.push(await signUp(app));
      for (const member of listeners) await join(app, member, hostId);
      const title = `Heard by ${subscribers}`;
      const { statements, heard } = await statementsToHear(app, GovernanceEvents, { networkId: hostId }, listeners.map((m) => m.token), () =>
        propose(app, ada!, hostId, { title, action: 'SET_GOAL', goalTitle: title }),
      );
      expect(heard.map((result) => result.data?.governanceEvents.proposal?.title)).toEqual(listeners.map(() => title));
      return statements;
    };
    expect(await statementsFor(8)).toBe(await statementsFor(2));
  });

  it('are not for outsiders', async () => {
    const outsider = await signUp(app);
    const events = await subscribe(app, GovernanceEvents, { networkId }, outsider.token);
    const first = await events.next();
    expect(first.errors?.[0]).toMatchObject({ message: 'No such network.', extensions: { code: 'NOT_FOUND' } });
    events.close();
  });
});

describe('closing', () => {
  let trioId: string;
  beforeAll(async () => {
    trioId = await createNetwork(app, ada!, { slug: 'trio' });
    await join(app, grace!, trioId);
    await join(app, linus!, trioId);
  });

  it('happens by itself when the voting period ends', async () => {
    await app.startWorkers();
    const proposal = await propose(app, ada!, trioId, { title: 'Quiet proposal', action: 'SET_GOAL', goalTitle: 'Paint the shed' });
    await vote(app, ada!, proposal.id, 'YES');
    await vote(app, grace!, proposal.id, 'YES');
    // Time passes: the voting period and the queued closing job are both due now.
    const id = localId(proposal.id);
    await app.database.prisma.proposal.update({ where: { id }, data: { closesAt: new Date() } });
    await app.database.prisma.$executeRaw`UPDATE pgboss.job SET start_after = now() WHERE data->>'proposalId' = ${id}`;
    const deadline = Date.now() + 10_000;
    let status = 'OPEN';
    while (status === 'OPEN' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await app.database.prisma.proposal.findUniqueOrThrow({ where: { id } })).status;
    }
    expect(status).toBe('PASSED');
    expect(await app.database.prisma.goal.count({ where: { title: 'Paint the shed', networkId: localId(trioId) } })).toBe(1);
  });

  it('rolls everything back when applying the action fails, leaving the proposal open for the next attempt', async () => {
    const db = app.database.prisma;
    await db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_goal() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'goals are frozen'; END; $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`CREATE TRIGGER refuse_goal BEFORE INSERT ON "Goal" FOR EACH ROW EXECUTE FUNCTION refuse_goal()`);
    const proposal = await propose(app, ada!, trioId, { title: 'Frozen goal', action: 'SET_GOAL', goalTitle: 'Never written' });
    const last = await decide(proposal.id, ['YES', 'YES', 'YES']);
    expect(last).toMatchObject({ status: 'OPEN', tally: { votesCast: 3, eligible: 3 } });
    const id = localId(proposal.id);
    expect(await db.goal.count({ where: { title: 'Never written' } })).toBe(0);
    expect(await db.activity.count({ where: { type: 'proposal.closed', subjectId: id } })).toBe(0);

    await db.$executeRawUnsafe('DROP TRIGGER refuse_goal ON "Goal"');
    // The next attempt: this call, or the job's retry if it comes first.
    await app.services.governance.closeProposal(id);
    expect((await db.proposal.findUniqueOrThrow({ where: { id } })).status).toBe('PASSED');
    expect(await db.goal.count({ where: { title: 'Never written' } })).toBe(1);
    expect(await db.activity.count({ where: { type: 'proposal.closed', subjectId: id } })).toBe(1);
    expect(await app.services.governance.closeProposal(id)).toBeNull();
  });
});
