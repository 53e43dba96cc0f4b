import type { ServiceDeps } from '../../deps.js';
import type { Tx } from '../../events/unit-of-work.js';
import { type DecisionParameters, describeDecisionRule } from './rules.js';

export type GovernanceService = ReturnType<typeof createGovernanceService>;

export function createGovernanceService(_deps: ServiceDeps) {
  return {
    /** The rules a network starts with, set by its creator inside the creating transaction;
     * afterwards rules change only by proposal. */
    async foundRules(tx: Tx, networkId: string, decision: DecisionParameters) {
      const { decisionMethod, quorum, votingPeriodHours } = decision;
      const text = { title: 'How we decide', body: describeDecisionRule(decision), decisionMethod, quorum, votingPeriodHours };
      return tx.rule.create({
        data: { ...text, kind: 'DECISION_MAKING', networkId, versions: { create: { ...text, version: 1 } } },
      });
    },
  };
}
