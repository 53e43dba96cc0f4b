import { z } from 'zod';
import { optionalText, requiredText } from '../../validation.js';
import { DECISION_METHODS, GOAL_STATUSES, MEMBERSHIP_ROLES, PROPOSAL_ACTIONS, RULE_KINDS, VOTE_CHOICES } from '../../domain.js';
import { MAX_VOTING_PERIOD_HOURS } from './rules.js';

export const decisionFields = {
  decisionMethod: z.enum(DECISION_METHODS),
  quorum: z
    .number()
    .gt(0, 'Quorum is a fraction of active members above 0.')
    .max(1, 'Quorum is a fraction of active members, at most 1.'),
  votingPeriodHours: z
    .number()
    .int('Use whole hours.')
    .min(1, 'Allow at least one hour.')
    .max(MAX_VOTING_PERIOD_HOURS, `Allow at most ${MAX_VOTING_PERIOD_HOURS} hours.`),
};

const minimum = z.number().int('Use whole numbers.').min(0, 'Thresholds are not negative.').max(10_000).nullish();

export const createProposalInput = z.object({
  networkId: z.uuid(),
  title: requiredText('a title', 200),
  body: requiredText('what the proposal is about and why', 10_000),
  action: z.enum(PROPOSAL_ACTIONS),
  ruleId: z.uuid().nullish(),
  ruleKind: z.enum(RULE_KINDS).nullish(),
  ruleTitle: requiredText('a rule title', 200).nullish(),
  ruleBody: requiredText('the rule text', 10_000).nullish(),
  decisionMethod: decisionFields.decisionMethod.nullish(),
  quorum: decisionFields.quorum.nullish(),
  votingPeriodHours: decisionFields.votingPeriodHours.nullish(),
  purpose: requiredText('a purpose', 2000).nullish(),
  goalId: z.uuid().nullish(),
  goalTitle: requiredText('a goal', 200).nullish(),
  goalStatus: z.enum(GOAL_STATUSES).nullish(),
  memberId: z.uuid().nullish(),
  role: z.enum(MEMBERSHIP_ROLES).nullish(),
  trustLevel: z.number().int().min(1, 'Trust levels with thresholds are 1, 2 and 3.').max(3, 'Trust levels with thresholds are 1, 2 and 3.').nullish(),
  trustThresholds: z
    .object({
      meetupsAttended: minimum,
      distinctMembersMet: minimum,
      confirmedExchangesGiven: minimum,
      confirmedExchangesReceived: minimum,
      vouchesFromTrusted: minimum,
      tenureDays: minimum,
    })
    .nullish(),
});
export type CreateProposalInput = z.infer<typeof createProposalInput>;

export const castVoteInput = z.object({
  proposalId: z.uuid(),
  choice: z.enum(VOTE_CHOICES),
  reason: optionalText(1000),
});
export type CastVoteInput = z.infer<typeof castVoteInput>;

export const withdrawProposalInput = z.object({ proposalId: z.uuid() });
export type WithdrawProposalInput = z.infer<typeof withdrawProposalInput>;
