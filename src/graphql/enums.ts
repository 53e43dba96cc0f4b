import {
  DECISION_METHODS,
  ENGAGEMENT_LEVELS,
  GOAL_STATUSES,
  JOIN_POLICIES,
  MEMBERSHIP_ROLES,
  MEMBERSHIP_STATUSES,
  NETWORK_VISIBILITIES,
  RULE_KINDS,
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
