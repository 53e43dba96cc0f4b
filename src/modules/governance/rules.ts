/** Pure decisions about a network's rules and how it decides. */
import type {
  DecisionMethod,
  GoalStatus,
  MembershipRole,
  MembershipStatus,
  ProposalAction,
  RuleKind,
  VoteChoice,
} from '../../domain.js';

export const MAX_VOTING_PERIOD_HOURS = 24 * 90;

export type DecisionParameters = { decisionMethod: DecisionMethod; quorum: number; votingPeriodHours: number };

/** The DECISION_MAKING rule a network starts with, described in words for its members. */
export function describeDecisionRule({ decisionMethod: method, quorum, votingPeriodHours }: DecisionParameters): string {
  const how = {
    MAJORITY: 'pass with more YES than NO votes',
    SUPERMAJORITY: 'pass with at least two thirds YES among YES and NO votes',
    CONSENSUS: 'pass with at least one YES and no BLOCK',
  }[method];
  const share = Math.round(quorum * 1000) / 10;
  return `Proposals ${how}, when at least ${share}% of active members vote within ${votingPeriodHours} hours.`;
}

// ---------------------------------------------------------------------------------
// Tallying

export type Counts = { yes: number; no: number; abstain: number; block: number };

const KEY: Record<VoteChoice, keyof Counts> = { YES: 'yes', NO: 'no', ABSTAIN: 'abstain', BLOCK: 'block' };

/** The counts after a member casts `to`, replacing their earlier choice `from` if any. */
export function recount(counts: Counts, from: VoteChoice | null, to: VoteChoice): Counts {
  const next = { ...counts };
  if (from) next[KEY[from]] -= 1;
  next[KEY[to]] += 1;
  return next;
}

export const votesCast = (c: Counts) => c.yes + c.no + c.abstain + c.block;

/** Votes needed for quorum: the quorum fraction of eligible members, rounded up.
 * (The small tolerance keeps 0.3 x 10 at 3, not 3.0000000000000004.) */
export const votesForQuorum = (quorum: number, eligible: number) => Math.ceil(quorum * eligible - 1e-9);

export type Outcome = { status: 'PASSED' | 'REJECTED'; quorumMet: boolean; reason: string };

/**
 * Decides a proposal from its final counts under the decision rule in force when it
 * opened. Every vote, abstentions included, counts toward quorum. Then:
 * - MAJORITY: more YES than NO;
 * - SUPERMAJORITY: YES at least two thirds of YES + NO (abstentions left out);
 * - CONSENSUS: no BLOCK and at least one YES.
 * BLOCK is a veto only under CONSENSUS; under the other methods it counts as NO.
 */
export function tally(counts: Counts, eligible: number, rule: { decisionMethod: DecisionMethod; quorum: number }): Outcome {
  const needed = votesForQuorum(rule.quorum, eligible);
  const cast = votesCast(counts);
  if (cast < needed) {
    return { status: 'REJECTED', quorumMet: false, reason: `Quorum not met: ${cast} of ${eligible} voted, ${needed} needed.` };
  }
  const against = rule.decisionMethod === 'CONSENSUS' ? counts.no : counts.no + counts.block;
  const decided = (passed: boolean, reason: string): Outcome => ({ status: passed ? 'PASSED' : 'REJECTED', quorumMet: true, reason });
  switch (rule.decisionMethod) {
    case 'MAJORITY':
      return decided(counts.yes > against, `${counts.yes} YES against ${against} NO (majority needed).`);
    case 'SUPERMAJORITY':
      return decided(
        counts.yes > 0 && 3 * counts.yes >= 2 * (counts.yes + against),
        `${counts.yes} YES against ${against} NO (two thirds needed).`,
      );
    case 'CONSENSUS':
      if (counts.block > 0) return decided(false, `Blocked by ${counts.block} member${counts.block === 1 ? '' : 's'}.`);
      return decided(counts.yes > 0, counts.yes > 0 ? `Consensus: ${counts.yes} YES, no BLOCK.` : 'No YES vote.');
  }
}

/** A proposal closes early once every eligible member has voted. */
export const everyoneVoted = (counts: Counts, eligible: number) => votesCast(counts) >= eligible;

// ---------------------------------------------------------------------------------
// Proposal actions

/** The action's parameters as the proposer gave them. */
export type ActionParameters = {
  ruleId?: string | null;
  ruleKind?: RuleKind | null;
  ruleTitle?: string | null;
  ruleBody?: string | null;
  decisionMethod?: DecisionMethod | null;
  quorum?: number | null;
  votingPeriodHours?: number | null;
  purpose?: string | null;
  goalId?: string | null;
  goalTitle?: string | null;
  goalStatus?: GoalStatus | null;
  memberId?: string | null;
  role?: MembershipRole | null;
  trustLevel?: number | null;
  trustThresholds?: Record<string, number | null | undefined> | null;
};
export type Parameter = keyof ActionParameters;

const DECISION_PARAMETERS: Parameter[] = ['decisionMethod', 'quorum', 'votingPeriodHours'];

/** Which parameters each action requires and which it may take. */
export const ACTION_PARAMETERS: Record<ProposalAction, { required: Parameter[]; optional: Parameter[] }> = {
  ADOPT_RULE: { required: ['ruleKind', 'ruleTitle', 'ruleBody'], optional: [] },
  AMEND_RULE: { required: ['ruleId'], optional: ['ruleTitle', 'ruleBody', ...DECISION_PARAMETERS] },
  REPEAL_RULE: { required: ['ruleId'], optional: [] },
  UPDATE_PURPOSE: { required: ['purpose'], optional: [] },
  SET_GOAL: { required: [], optional: ['goalId', 'goalTitle', 'goalStatus'] },
  ADMIT_MEMBER: { required: ['memberId'], optional: [] },
  REMOVE_MEMBER: { required: ['memberId'], optional: [] },
  CHANGE_ROLE: { required: ['memberId', 'role'], optional: [] },
  SET_TRUST_THRESHOLDS: { required: ['trustLevel', 'trustThresholds'], optional: [] },
};

/** What the service found about the things the parameters point at. */
export type ActionFacts = {
  rule?: { kind: RuleKind; repealed: boolean; title: string; body: string } | null;
  /** Another open proposal already amends or repeals the same rule. */
  ruleUnderProposal?: boolean;
  goalExists?: boolean;
  /** The subject member's membership in this network, if any. */
  subject?: { status: MembershipStatus; role: MembershipRole } | null;
};

export type ActionProblem = { field: Parameter; message: string; code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' };

const given = (value: unknown) => value !== undefined && value !== null;

/** Everything wrong with a proposal's action, given what its parameters point at. */
export function actionProblems(action: ProposalAction, p: ActionParameters, facts: ActionFacts): ActionProblem[] {
  const { required, optional } = ACTION_PARAMETERS[action];
  const problems: ActionProblem[] = [];
  const bad = (field: Parameter, message: string, code: ActionProblem['code'] = 'BAD_USER_INPUT') =>
    problems.push({ field, message, code });
  for (const field of required) if (!given(p[field])) bad(field, `${action} needs ${field}.`);
  for (const field of Object.keys(p) as Parameter[]) {
    if (given(p[field]) && !required.includes(field) && !optional.includes(field)) bad(field, `${action} does not use ${field}.`);
  }
  if (problems.length) return problems;

  switch (action) {
    case 'ADOPT_RULE':
      if (p.ruleKind === 'DECISION_MAKING') bad('ruleKind', 'A network has one decision-making rule: amend it instead.');
      break;
    case 'AMEND_RULE':
    case 'REPEAL_RULE': {
      const rule = facts.rule;
      if (!rule || rule.repealed) {
        bad('ruleId', 'No such rule in force in this network.', 'NOT_FOUND');
        break;
      }
      if (facts.ruleUnderProposal) bad('ruleId', 'Another open proposal already changes this rule.', 'CONFLICT');
      if (action === 'REPEAL_RULE') {
        if (rule.kind === 'DECISION_MAKING') bad('ruleId', 'The decision-making rule cannot be repealed, only amended.');
        break;
      }
      const decisionChange = DECISION_PARAMETERS.some((f) => given(p[f]));
      if (decisionChange && rule.kind !== 'DECISION_MAKING') {
        bad(DECISION_PARAMETERS.find((f) => given(p[f]))!, 'Only the decision-making rule has decision parameters.');
      }
      const textChange = (given(p.ruleTitle) && p.ruleTitle !== rule.title) || (given(p.ruleBody) && p.ruleBody !== rule.body);
      if (!decisionChange && !textChange) bad('ruleBody', 'The amendment changes nothing.');
      break;
    }
    case 'SET_GOAL':
      if (given(p.goalId) === given(p.goalTitle)) {
        bad('goalTitle', 'Give goalTitle for a new goal, or goalId with goalStatus to change one.');
      } else if (given(p.goalId)) {
        if (!facts.goalExists) bad('goalId', 'No such goal in this network.', 'NOT_FOUND');
        if (!given(p.goalStatus)) bad('goalStatus', 'Changing a goal needs its new goalStatus.');
      }
      break;
    case 'ADMIT_MEMBER':
      if (facts.subject?.status !== 'PENDING') bad('memberId', 'This member has not asked to join.', 'NOT_FOUND');
      break;
    case 'REMOVE_MEMBER':
      if (facts.subject?.status !== 'ACTIVE') bad('memberId', 'This member is not an active member.', 'NOT_FOUND');
      break;
    case 'CHANGE_ROLE':
      if (facts.subject?.status !== 'ACTIVE') bad('memberId', 'This member is not an active member.', 'NOT_FOUND');
      else if (facts.subject.role === p.role) bad('role', `This member is already ${p.role}.`, 'CONFLICT');
      break;
    case 'SET_TRUST_THRESHOLDS':
      if (!Object.values(p.trustThresholds!).some((v) => v !== null && v !== undefined)) {
        bad('trustThresholds', 'Set at least one threshold.');
      }
      break;
    case 'UPDATE_PURPOSE':
      break;
  }
  return problems;
}
