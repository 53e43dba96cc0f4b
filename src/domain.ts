/** The domain's vocabulary, shared by rules, services and the API. Pure data. */

/** Rosenblatt's engagement pyramid, lowest to highest. */
export const ENGAGEMENT_LEVELS = ['OBSERVING', 'FOLLOWING', 'ENDORSING', 'CONTRIBUTING', 'OWNING', 'LEADING'] as const;
export type EngagementLevel = (typeof ENGAGEMENT_LEVELS)[number];

export const MEMBERSHIP_ROLES = ['MEMBER', 'STEWARD'] as const;
export type MembershipRole = (typeof MEMBERSHIP_ROLES)[number];

export const MEMBERSHIP_STATUSES = ['PENDING', 'ACTIVE', 'LEFT', 'REMOVED'] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

export const NETWORK_VISIBILITIES = ['PUBLIC', 'PRIVATE'] as const;
export type NetworkVisibility = (typeof NETWORK_VISIBILITIES)[number];

export const JOIN_POLICIES = ['OPEN', 'APPROVAL', 'INVITATION'] as const;
export type JoinPolicy = (typeof JOIN_POLICIES)[number];

export const RULE_KINDS = ['PARTICIPATION', 'DECISION_MAKING', 'CONDUCT'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export const DECISION_METHODS = ['MAJORITY', 'SUPERMAJORITY', 'CONSENSUS'] as const;
export type DecisionMethod = (typeof DECISION_METHODS)[number];

export const GOAL_STATUSES = ['PROPOSED', 'ACTIVE', 'ACHIEVED', 'DROPPED'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export const PROPOSAL_STATUSES = ['OPEN', 'PASSED', 'REJECTED', 'WITHDRAWN'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export const PROPOSAL_ACTIONS = [
  'ADOPT_RULE',
  'AMEND_RULE',
  'REPEAL_RULE',
  'UPDATE_PURPOSE',
  'SET_GOAL',
  'ADMIT_MEMBER',
  'REMOVE_MEMBER',
  'CHANGE_ROLE',
  'SET_TRUST_THRESHOLDS',
] as const;
export type ProposalAction = (typeof PROPOSAL_ACTIONS)[number];

export const VOTE_CHOICES = ['YES', 'NO', 'ABSTAIN', 'BLOCK'] as const;
export type VoteChoice = (typeof VOTE_CHOICES)[number];

export const CONTRIBUTION_KINDS = ['ATTENTION', 'KNOWLEDGE', 'SKILLS', 'CONNECTIONS', 'RESOURCES'] as const;
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number];

export const LISTING_STATUSES = ['OPEN', 'MATCHED', 'FULFILLED', 'CLOSED', 'EXPIRED'] as const;
export type ListingStatus = (typeof LISTING_STATUSES)[number];

export const LISTING_VISIBILITIES = ['NETWORK', 'PUBLIC'] as const;
export type ListingVisibility = (typeof LISTING_VISIBILITIES)[number];

export const EXCHANGE_STATUSES = ['PROPOSED', 'ACCEPTED', 'DECLINED', 'CANCELLED', 'COMPLETED'] as const;
export type ExchangeStatus = (typeof EXCHANGE_STATUSES)[number];

export const EXCHANGE_VISIBILITIES = ['PARTIES', 'NETWORK'] as const;
export type ExchangeVisibility = (typeof EXCHANGE_VISIBILITIES)[number];

export const MEASURE_UNITS = ['HOURS', 'UNITS'] as const;
export type MeasureUnit = (typeof MEASURE_UNITS)[number];

export const TRUST_LEVELS = { NEW: 0, KNOWN: 1, TRUSTED: 2, PILLAR: 3 } as const;
