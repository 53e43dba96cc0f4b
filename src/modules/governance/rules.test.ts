import { expect, it } from 'vitest';
import { describeDecisionRule } from './rules.js';

it('describes each decision method in words', () => {
  expect(describeDecisionRule({ decisionMethod: 'MAJORITY', quorum: 0.5, votingPeriodHours: 48 })).toBe(
    'Proposals pass with more YES than NO votes, when at least 50% of active members vote within 48 hours.',
  );
  expect(describeDecisionRule({ decisionMethod: 'CONSENSUS', quorum: 1 / 3, votingPeriodHours: 24 })).toBe(
    'Proposals pass with at least one YES and no BLOCK, when at least 33.3% of active members vote within 24 hours.',
  );
});
