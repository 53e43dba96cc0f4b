import type { Proposal } from '../../db/generated/prisma/client.js';
import { builder } from '../../graphql/builder.js';
import { type Context, readerOf } from '../../graphql/context.js';
import {
  DecisionMethodEnum,
  GoalStatusEnum,
  MembershipRoleEnum,
  ProposalActionEnum,
  ProposalStatusEnum,
  RuleKindEnum,
  VoteChoiceEnum,
} from '../../graphql/enums.js';
import { globalIdOf } from '../../graphql/ids.js';
import { mutationField, payloadType } from '../../graphql/mutations.js';
import { castVoteInput, createProposalInput, withdrawProposalInput } from './inputs.js';
import { visibleProposals } from './policy.js';
import { votesCast, votesForQuorum } from './rules.js';

const viewerId = readerOf;

type TallyShape = { yes: number; no: number; abstain: number; block: number; eligible: number; needed: number; final: boolean; quorumMet: boolean };

const Tally = builder.objectRef<TallyShape>('Tally').implement({
  description: 'Vote counts; while a proposal is open they are running counts, final once it closes. Who voted what is shown only after closing.',
  fields: (t) => ({
    yes: t.exposeInt('yes'),
    no: t.exposeInt('no'),
    abstain: t.exposeInt('abstain'),
    block: t.exposeInt('block'),
    votesCast: t.int({ resolve: (c) => votesCast(c) }),
    eligible: t.exposeInt('eligible', { description: 'Active members when the proposal opened: its voters.' }),
    quorumNeeded: t.exposeInt('needed', { description: 'Votes (abstentions included) needed for quorum.' }),
    quorumMet: t.exposeBoolean('quorumMet'),
    final: t.exposeBoolean('final'),
  }),
});

const THRESHOLD_FIELDS = [
  'meetupsAttended',
  'distinctMembersMet',
  'confirmedExchangesGiven',
  'confirmedExchangesReceived',
  'vouchesFromTrusted',
  'tenureDays',
] as const;

const ProposedThresholds = builder.objectRef<Record<string, number | null>>('ProposedTrustThresholds').implement({
  description: 'The minimums a SET_TRUST_THRESHOLDS proposal sets; null ones stay as they are.',
  fields: (t) =>
    Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f, t.int({ nullable: true, resolve: (p) => p[f] ?? null })])),
});

const TrustThresholdsInput = builder.inputType('TrustThresholdsInput', {
  fields: (t) => Object.fromEntries(THRESHOLD_FIELDS.map((f) => [f, t.int()])),
});

const Vote = builder.prismaObject('Ballot', {
  name: 'Vote',
  fields: (t) => ({
    member: t.relation('member'),
    choice: t.expose('choice', { type: VoteChoiceEnum, nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
    castAt: t.expose('castAt', { type: 'DateTime', nullable: true }),
  }),
});

export const ProposalNode = builder.prismaNode('Proposal', {
  id: { field: 'id' },
  nullable: true,
  description: "A motion to change the network, decided by its active members' votes.",
  findUnique: (id, context) => ({ id, AND: [visibleProposals(viewerId(context))] }),
  fields: (t) => ({
    network: t.relation('network'),
    proposer: t.relation('proposer', { nullable: true }),
    title: t.exposeString('title'),
    body: t.exposeString('body'),
    action: t.expose('action', { type: ProposalActionEnum }),
    status: t.expose('status', { type: ProposalStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    closesAt: t.expose('closesAt', { type: 'DateTime', description: 'When the voting period ends (earlier if everyone votes).' }),
    closedAt: t.expose('closedAt', { type: 'DateTime', nullable: true }),
    outcome: t.exposeString('outcome', { nullable: true, description: 'Why it passed or failed, and what applying it did.' }),
    decisionRule: t.relation('decisionRule', { description: 'The decision rule in force when the proposal opened: the one applied.' }),
    tally: t.field({
      type: Tally,
      select: { decisionRule: { select: { quorum: true } } },
      resolve: (p) => {
        const counts = { yes: p.yesCount, no: p.noCount, abstain: p.abstainCount, block: p.blockCount };
        const needed = votesForQuorum(p.decisionRule.quorum ?? 1, p.eligibleCount);
        return { ...counts, eligible: p.eligibleCount, needed, final: p.status !== 'OPEN', quorumMet: votesCast(counts) >= needed };
      },
    }),
    viewerVote: t.field({
      type: Vote,
      nullable: true,
      description: "The viewer's ballot, if they are one of the proposal's voters.",
      select: (_args, context) => ({
        ballots: { where: context.viewer ? { memberId: context.viewer.memberId } : { id: { in: [] } }, take: 1 },
      }),
      resolve: (p, _args, context) => (context.viewer ? (p.ballots[0] ?? null) : null),
    }),
    // Secrecy is in the filter, so it holds however the ballots are loaded: folded into the
    // query of a list of proposals, or fetched for one.
    votes: t.relation('ballots', {
      description: 'Who voted what and why: empty until the proposal closes.',
      query: { where: { choice: { not: null }, proposal: { status: { not: 'OPEN' } } }, orderBy: { castAt: 'asc' } },
    }),
    // The action's parameters
    rule: t.relation('rule', { nullable: true }),
    ruleKind: t.expose('ruleKind', { type: RuleKindEnum, nullable: true }),
    ruleTitle: t.exposeString('ruleTitle', { nullable: true }),
    ruleBody: t.exposeString('ruleBody', { nullable: true }),
    decisionMethod: t.expose('decisionMethod', { type: DecisionMethodEnum, nullable: true }),
    quorum: t.exposeFloat('quorum', { nullable: true }),
    votingPeriodHours: t.exposeInt('votingPeriodHours', { nullable: true }),
    purpose: t.exposeString('purpose', { nullable: true }),
    goal: t.relation('goal', { nullable: true }),
    goalTitle: t.exposeString('goalTitle', { nullable: true }),
    goalStatus: t.expose('goalStatus', { type: GoalStatusEnum, nullable: true }),
    member: t.relation('subjectMember', { nullable: true, description: 'Whom ADMIT_MEMBER, REMOVE_MEMBER or CHANGE_ROLE concerns.' }),
    role: t.expose('role', { type: MembershipRoleEnum, nullable: true }),
    trustLevel: t.exposeInt('trustLevel', { nullable: true }),
    trustThresholds: t.field({
      type: ProposedThresholds,
      nullable: true,
      resolve: (p) => (p.trustThresholds as Record<string, number | null> | null) ?? null,
    }),
  }),
});

const ProposalConnection = builder.connectionObject({ type: ProposalNode, name: 'ProposalConnection' }, { name: 'ProposalEdge' });

builder.prismaObjectField('Network', 'proposals', (t) =>
  t.relatedConnection(
    'proposals',
    {
      cursor: 'id',
      totalCount: true,
      description: "Newest first; for the network's active members only.",
      args: { status: t.arg({ type: ProposalStatusEnum }) },
      query: (args, context) => ({
        where: { ...visibleProposals(viewerId(context)), ...(args.status && { status: args.status }) },
        orderBy: { id: 'desc' },
      }),
    },
    ProposalConnection,
  ),
);

const CreateProposalInput = builder.inputType('CreateProposalInput', {
  description: 'Each action uses its own parameters; giving one it does not use is an error.',
  fields: (t) => ({
    networkId: t.id({ required: true }),
    title: t.string({ required: true }),
    body: t.string({ required: true }),
    action: t.field({ type: ProposalActionEnum, required: true }),
    ruleId: t.id({ description: 'AMEND_RULE, REPEAL_RULE.' }),
    ruleKind: t.field({ type: RuleKindEnum, description: 'ADOPT_RULE (PARTICIPATION or CONDUCT).' }),
    ruleTitle: t.string({ description: 'ADOPT_RULE; AMEND_RULE to retitle.' }),
    ruleBody: t.string({ description: 'ADOPT_RULE; AMEND_RULE to reword.' }),
    decisionMethod: t.field({ type: DecisionMethodEnum, description: 'AMEND_RULE of the DECISION_MAKING rule.' }),
    quorum: t.float({ description: 'AMEND_RULE of the DECISION_MAKING rule.' }),
    votingPeriodHours: t.int({ description: 'AMEND_RULE of the DECISION_MAKING rule.' }),
    purpose: t.string({ description: 'UPDATE_PURPOSE.' }),
    goalTitle: t.string({ description: 'SET_GOAL: a new goal (or a new title with goalId).' }),
    goalId: t.id({ description: 'SET_GOAL: the goal to change, with goalStatus.' }),
    goalStatus: t.field({ type: GoalStatusEnum, description: 'SET_GOAL: status of the goal (a new goal defaults to ACTIVE).' }),
    memberId: t.id({ description: 'ADMIT_MEMBER, REMOVE_MEMBER, CHANGE_ROLE.' }),
    role: t.field({ type: MembershipRoleEnum, description: 'CHANGE_ROLE.' }),
    trustLevel: t.int({ description: 'SET_TRUST_THRESHOLDS: the level (1 to 3) whose minimums change.' }),
    trustThresholds: t.field({ type: TrustThresholdsInput, description: 'SET_TRUST_THRESHOLDS: the new minimums; left out ones stay.' }),
  }),
});

const proposalPayload = (name: string) =>
  payloadType<{ proposal: Proposal }>(name, (t) => ({
    proposal: t.field({ type: ProposalNode, nullable: true, resolve: (p) => p.proposal ?? null }),
  }));

mutationField('createProposal', {
  description: 'Active members propose; the active members now are its voters.',
  input: CreateProposalInput,
  schema: createProposalInput.extend({
    networkId: globalIdOf('Network'),
    ruleId: globalIdOf('Rule').nullish(),
    goalId: globalIdOf('Goal').nullish(),
    memberId: globalIdOf('Member').nullish(),
  }),
  payload: proposalPayload('CreateProposalPayload'),
  rateLimits: (_input, context) => [['proposal.member', context.viewer!.memberId]],
  resolve: async (input, context) => ({ proposal: await context.services.governance.createProposal(context.viewer, input) }),
});

mutationField('castVote', {
  description: 'Votes, or changes the vote, until the proposal closes; it closes at once when everyone has voted.',
  input: builder.inputType('CastVoteInput', {
    fields: (t) => ({
      proposalId: t.id({ required: true }),
      choice: t.field({ type: VoteChoiceEnum, required: true }),
      reason: t.string(),
    }),
  }),
  schema: castVoteInput.extend({ proposalId: globalIdOf('Proposal') }),
  payload: proposalPayload('CastVotePayload'),
  resolve: async (input, context) => ({ proposal: await context.services.governance.castVote(context.viewer, input) }),
});

mutationField('withdrawProposal', {
  description: 'The proposer withdraws an open proposal.',
  input: builder.inputType('WithdrawProposalInput', { fields: (t) => ({ proposalId: t.id({ required: true }) }) }),
  schema: withdrawProposalInput.extend({ proposalId: globalIdOf('Proposal') }),
  payload: proposalPayload('WithdrawProposalPayload'),
  resolve: async (input, context) => ({ proposal: await context.services.governance.withdraw(context.viewer, input) }),
});
