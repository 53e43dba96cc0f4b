import { describe, expect, it } from 'vitest';
import type { DecisionMethod } from '../../domain.js';
import {
  type ActionFacts,
  actionProblems,
  type Counts,
  describeDecisionRule,
  everyoneVoted,
  recount,
  tally,
  votesForQuorum,
} from './rules.js';

const votes = (yes = 0, no = 0, abstain = 0, block = 0): Counts => ({ yes, no, abstain, block });
const rule = (decisionMethod: DecisionMethod, quorum = 0.5) => ({ decisionMethod, quorum });

describe('tally', () => {
  it('rejects when nobody voted', () => {
    for (const method of ['MAJORITY', 'SUPERMAJORITY', 'CONSENSUS'] as const) {
      expect(tally(votes(), 10, rule(method))).toMatchObject({ status: 'REJECTED', quorumMet: false });
    }
  });

  it('meets quorum exactly at the fraction, and not one vote below', () => {
    expect(votesForQuorum(0.5, 10)).toBe(5);
    expect(tally(votes(5), 10, rule('MAJORITY'))).toMatchObject({ status: 'PASSED', quorumMet: true });
    expect(tally(votes(4), 10, rule('MAJORITY'))).toMatchObject({ status: 'REJECTED', quorumMet: false });
  });

  it('rounds the quorum up and is not fooled by floating point', () => {
    expect(votesForQuorum(0.3, 10)).toBe(3); // 0.3 * 10 is 3.0000000000000004
    expect(votesForQuorum(0.5, 5)).toBe(3);
    expect(votesForQuorum(1, 7)).toBe(7);
    expect(votesForQuorum(1 / 3, 9)).toBe(3);
    expect(tally(votes(3), 10, rule('MAJORITY', 0.3)).quorumMet).toBe(true);
  });

  it('counts abstentions toward quorum but not for or against', () => {
    expect(tally(votes(1, 0, 4), 10, rule('MAJORITY'))).toMatchObject({ status: 'PASSED', quorumMet: true });
    expect(tally(votes(0, 0, 10), 10, rule('MAJORITY'))).toMatchObject({ status: 'REJECTED', quorumMet: true });
  });

  it('rejects when everyone abstains, under every method', () => {
    for (const method of ['MAJORITY', 'SUPERMAJORITY', 'CONSENSUS'] as const) {
      expect(tally(votes(0, 0, 6), 6, rule(method))).toMatchObject({ status: 'REJECTED', quorumMet: true });
    }
  });

  it('passes a MAJORITY only with more YES than NO', () => {
    expect(tally(votes(3, 2), 5, rule('MAJORITY')).status).toBe('PASSED');
    expect(tally(votes(3, 3), 6, rule('MAJORITY')).status).toBe('REJECTED');
  });

  it('passes a SUPERMAJORITY at exactly two thirds and not below', () => {
    expect(tally(votes(2, 1), 3, rule('SUPERMAJORITY')).status).toBe('PASSED');
    expect(tally(votes(4, 2, 3), 9, rule('SUPERMAJORITY')).status).toBe('PASSED');
    expect(tally(votes(66, 34), 100, rule('SUPERMAJORITY')).status).toBe('REJECTED');
    expect(tally(votes(67, 33), 100, rule('SUPERMAJORITY')).status).toBe('PASSED');
    expect(tally(votes(1, 1), 2, rule('SUPERMAJORITY')).status).toBe('REJECTED');
  });

  it('lets one BLOCK stop a CONSENSUS proposal, however many YES', () => {
    expect(tally(votes(9, 0, 0, 1), 10, rule('CONSENSUS'))).toMatchObject({ status: 'REJECTED', reason: 'Blocked by 1 member.' });
    expect(tally(votes(9, 0, 0, 0), 10, rule('CONSENSUS')).status).toBe('PASSED');
    expect(tally(votes(1, 5), 6, rule('CONSENSUS')).status).toBe('PASSED');
  });

  it('counts BLOCK as NO outside CONSENSUS', () => {
    expect(tally(votes(2, 0, 0, 2), 4, rule('MAJORITY')).status).toBe('REJECTED');
    expect(tally(votes(3, 0, 0, 2), 5, rule('MAJORITY')).status).toBe('PASSED');
    expect(tally(votes(2, 0, 0, 1), 3, rule('SUPERMAJORITY')).status).toBe('PASSED');
  });
});

describe('counting votes', () => {
  it('moves a changed vote from one choice to another', () => {
    const once = recount(votes(), null, 'YES');
    expect(once).toEqual(votes(1));
    expect(recount(once, 'YES', 'BLOCK')).toEqual(votes(0, 0, 0, 1));
  });
  it('knows when everyone has voted', () => {
    expect(everyoneVoted(votes(1, 1, 1), 3)).toBe(true);
    expect(everyoneVoted(votes(1, 1), 3)).toBe(false);
  });
});

describe('actionProblems', () => {
  const inForce: ActionFacts = { rule: { kind: 'PARTICIPATION', repealed: false, title: 'Show up', body: 'Come when you can.' } };
  const fields = (problems: ReturnType<typeof actionProblems>) => problems.map((p) => [p.field, p.code]);

  it('asks for each action its required parameters, and refuses ones it does not use', () => {
    expect(fields(actionProblems('ADOPT_RULE', { ruleKind: 'CONDUCT' }, {}))).toEqual([
      ['ruleTitle', 'BAD_USER_INPUT'],
      ['ruleBody', 'BAD_USER_INPUT'],
    ]);
    expect(fields(actionProblems('UPDATE_PURPOSE', { purpose: 'x', role: 'STEWARD' }, {}))).toEqual([['role', 'BAD_USER_INPUT']]);
    expect(actionProblems('UPDATE_PURPOSE', { purpose: 'x', role: null }, {})).toEqual([]);
  });

  it('keeps one decision-making rule, which can be amended but not repealed', () => {
    expect(fields(actionProblems('ADOPT_RULE', { ruleKind: 'DECISION_MAKING', ruleTitle: 't', ruleBody: 'b' }, {}))).toEqual([
      ['ruleKind', 'BAD_USER_INPUT'],
    ]);
    const decision: ActionFacts = { rule: { kind: 'DECISION_MAKING', repealed: false, title: 'How we decide', body: '...' } };
    expect(fields(actionProblems('REPEAL_RULE', { ruleId: 'r' }, decision))).toEqual([['ruleId', 'BAD_USER_INPUT']]);
    expect(actionProblems('AMEND_RULE', { ruleId: 'r', decisionMethod: 'CONSENSUS' }, decision)).toEqual([]);
    expect(fields(actionProblems('AMEND_RULE', { ruleId: 'r', quorum: 0.2 }, inForce))).toEqual([['quorum', 'BAD_USER_INPUT']]);
  });

  it('needs a rule in force, not already under another proposal, and a real change', () => {
    expect(fields(actionProblems('AMEND_RULE', { ruleId: 'r', ruleBody: 'new' }, { rule: null }))).toEqual([['ruleId', 'NOT_FOUND']]);
    expect(fields(actionProblems('REPEAL_RULE', { ruleId: 'r' }, { rule: { ...inForce.rule!, repealed: true } }))).toEqual([
      ['ruleId', 'NOT_FOUND'],
    ]);
    expect(fields(actionProblems('REPEAL_RULE', { ruleId: 'r' }, { ...inForce, ruleUnderProposal: true }))).toEqual([
      ['ruleId', 'CONFLICT'],
    ]);
    expect(fields(actionProblems('AMEND_RULE', { ruleId: 'r', ruleBody: 'Come when you can.' }, inForce))).toEqual([
      ['ruleBody', 'BAD_USER_INPUT'],
    ]);
  });

  it('sets a new goal by title, or changes a goal by id and status', () => {
    expect(actionProblems('SET_GOAL', { goalTitle: 'Fix 100 bikes' }, {})).toEqual([]);
    expect(actionProblems('SET_GOAL', { goalId: 'g', goalStatus: 'ACHIEVED' }, { goalExists: true })).toEqual([]);
    expect(fields(actionProblems('SET_GOAL', {}, {}))).toEqual([['goalTitle', 'BAD_USER_INPUT']]);
    expect(fields(actionProblems('SET_GOAL', { goalId: 'g' }, { goalExists: false }))).toEqual([
      ['goalId', 'NOT_FOUND'],
      ['goalStatus', 'BAD_USER_INPUT'],
    ]);
  });

  it('admits only applicants, removes and re-roles only active members', () => {
    const pending: ActionFacts = { subject: { status: 'PENDING', role: 'MEMBER' } };
    const active: ActionFacts = { subject: { status: 'ACTIVE', role: 'MEMBER' } };
    expect(actionProblems('ADMIT_MEMBER', { memberId: 'm' }, pending)).toEqual([]);
    expect(fields(actionProblems('ADMIT_MEMBER', { memberId: 'm' }, active))).toEqual([['memberId', 'NOT_FOUND']]);
    expect(actionProblems('REMOVE_MEMBER', { memberId: 'm' }, active)).toEqual([]);
    expect(fields(actionProblems('REMOVE_MEMBER', { memberId: 'm' }, { subject: null }))).toEqual([['memberId', 'NOT_FOUND']]);
    expect(actionProblems('CHANGE_ROLE', { memberId: 'm', role: 'STEWARD' }, active)).toEqual([]);
    expect(fields(actionProblems('CHANGE_ROLE', { memberId: 'm', role: 'MEMBER' }, active))).toEqual([['role', 'CONFLICT']]);
  });
});

it('describes each decision method in words', () => {
  expect(describeDecisionRule({ decisionMethod: 'MAJORITY', quorum: 0.5, votingPeriodHours: 48 })).toBe(
    'Proposals pass with more YES than NO votes, when at least 50% of active members vote within 48 hours.',
  );
  expect(describeDecisionRule({ decisionMethod: 'CONSENSUS', quorum: 1 / 3, votingPeriodHours: 24 })).toBe(
    'Proposals pass with at least one YES and no BLOCK, when at least 33.3% of active members vote within 24 hours.',
  );
});
