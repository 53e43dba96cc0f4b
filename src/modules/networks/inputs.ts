import { z } from 'zod';
import { DECISION_METHODS, JOIN_POLICIES, NETWORK_VISIBILITIES } from '../../domain.js';
import { MAX_VOTING_PERIOD_HOURS } from '../governance/rules.js';
import { SLUG_MAX_LENGTH, SLUG_MIN_LENGTH, SLUG_PATTERN } from './rules.js';

const text = (label: string, max: number) =>
  z.string().trim().min(1, `Enter ${label}.`).max(max, `Use at most ${max} characters.`);

export const createNetworkInput = z.object({
  name: text('a name', 100),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(SLUG_MIN_LENGTH, `Use at least ${SLUG_MIN_LENGTH} characters.`)
    .max(SLUG_MAX_LENGTH, `Use at most ${SLUG_MAX_LENGTH} characters.`)
    .regex(SLUG_PATTERN, 'Use lower-case letters and digits, with single hyphens between words.'),
  purpose: text('a purpose', 2000),
  visibility: z.enum(NETWORK_VISIBILITIES),
  joinPolicy: z.enum(JOIN_POLICIES),
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
});
export type CreateNetworkInput = z.infer<typeof createNetworkInput>;

export const joinNetworkInput = z.object({
  networkId: z.uuid(),
  message: z.string().trim().max(1000, 'Use at most 1000 characters.').nullish(),
});
export type JoinNetworkInput = z.infer<typeof joinNetworkInput>;

export const leaveNetworkInput = z.object({ networkId: z.uuid() });
export type LeaveNetworkInput = z.infer<typeof leaveNetworkInput>;

export const membershipDecisionInput = z.object({ membershipId: z.uuid() });
export type MembershipDecisionInput = z.infer<typeof membershipDecisionInput>;
