/** Pure decisions about a network's rules and how it decides. */
import type { DecisionMethod } from '../../domain.js';

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
