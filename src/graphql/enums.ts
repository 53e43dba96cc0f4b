import {
  CONTRIBUTION_KINDS,
  DECISION_METHODS,
  EXCHANGE_STATUSES,
  EXCHANGE_VISIBILITIES,
  LISTING_STATUSES,
  LISTING_VISIBILITIES,
  MEASURE_UNITS,
  ENGAGEMENT_LEVELS,
  GOAL_STATUSES,
  JOIN_POLICIES,
  MEMBERSHIP_ROLES,
  MEMBERSHIP_STATUSES,
  NETWORK_VISIBILITIES,
  PROPOSAL_ACTIONS,
  PROPOSAL_STATUSES,
  RULE_KINDS,
  VOTE_CHOICES,
} from '../domain.js';
import { builder } from './builder.js';

/** The domain's enums, shared by several modules' types. */
export const EngagementLevelEnum = builder.enumType('EngagementLevel', {
  description: "Rosenblatt's engagement pyramid, lowest to highest.",
  values: ENGAGEMENT_LEVELS,
});
export const MembershipRoleEnum = builder.enumType('MembershipRole', { values: MEMBERSHIP_ROLES });
export const MembershipStatusEnum = builder.enumType('MembershipStatus', { values: MEMBERSHIP_STATUSES });
export const NetworkVisibilityEnum = builder.enumType('NetworkVisibility', { values: NETWORK_VISIBILITIES });
export const JoinPolicyEnum = builder.enumType('JoinPolicy', { values: JOIN_POLICIES });
export const RuleKindEnum = builder.enumType('RuleKind', { values: RULE_KINDS });
export const DecisionMethodEnum = builder.enumType('DecisionMethod', { values: DECISION_METHODS });
export const GoalStatusEnum = builder.enumType('GoalStatus', { values: GOAL_STATUSES });
export const ProposalActionEnum = builder.enumType('ProposalAction', { values: PROPOSAL_ACTIONS });
export const ProposalStatusEnum = builder.enumType('ProposalStatus', { values: PROPOSAL_STATUSES });
export const VoteChoiceEnum = builder.enumType('VoteChoice', {
  description: 'BLOCK is a veto under CONSENSUS; under MAJORITY and SUPERMAJORITY it counts as NO.',
  values: VOTE_CHOICES,
});
export const ContributionKindEnum = builder.enumType('ContributionKind', { values: CONTRIBUTION_KINDS });
export const ListingStatusEnum = builder.enumType('ListingStatus', { values: LISTING_STATUSES });
export const ListingVisibilityEnum = builder.enumType('ListingVisibility', {
  description: 'NETWORK: active members only. PUBLIC: anyone, when the network is public.',
  values: LISTING_VISIBILITIES,
});
export const ExchangeStatusEnum = builder.enumType('ExchangeStatus', { values: EXCHANGE_STATUSES });
export const ExchangeVisibilityEnum = builder.enumType('ExchangeVisibility', {
  description: "PARTIES: the giver, the receiver and the network's stewards. NETWORK: every active member too.",
  values: EXCHANGE_VISIBILITIES,
});
export const MeasureUnitEnum = builder.enumType('MeasureUnit', { values: MEASURE_UNITS });
