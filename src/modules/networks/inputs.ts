import { z } from 'zod';
import { optionalText, requiredText } from '../../validation.js';
import { JOIN_POLICIES, NETWORK_VISIBILITIES } from '../../domain.js';
import { decisionFields } from '../governance/inputs.js';
import { SLUG_MAX_LENGTH, SLUG_MIN_LENGTH, SLUG_PATTERN } from './rules.js';

export const createNetworkInput = z.object({
  name: requiredText('a name', 100),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .min(SLUG_MIN_LENGTH, `Use at least ${SLUG_MIN_LENGTH} characters.`)
    .max(SLUG_MAX_LENGTH, `Use at most ${SLUG_MAX_LENGTH} characters.`)
    .regex(SLUG_PATTERN, 'Use lower-case letters and digits, with single hyphens between words.'),
  purpose: requiredText('a purpose', 2000),
  visibility: z.enum(NETWORK_VISIBILITIES),
  joinPolicy: z.enum(JOIN_POLICIES),
  ...decisionFields,
});
export type CreateNetworkInput = z.infer<typeof createNetworkInput>;

export const joinNetworkInput = z.object({
  networkId: z.uuid(),
  message: optionalText(1000),
});
export type JoinNetworkInput = z.infer<typeof joinNetworkInput>;

export const leaveNetworkInput = z.object({ networkId: z.uuid() });
export type LeaveNetworkInput = z.infer<typeof leaveNetworkInput>;

export const membershipDecisionInput = z.object({ membershipId: z.uuid() });
export type MembershipDecisionInput = z.infer<typeof membershipDecisionInput>;
