import type { Goal, Proposal, Rule } from '../../db/generated/prisma/client.js';
import { builder } from '../../graphql/builder.js';
import { eventName, memberEvents, subscriberScopes } from '../../graphql/subscriptions.js';
import { GoalNode, RuleNode } from './schema.js';
import { ProposalNode } from './proposals.schema.js';

type GovernanceEventShape = { type: string; at: Date; proposal: Proposal | null; rule: Rule | null; goal: Goal | null };

const GovernanceEvent = builder.objectRef<GovernanceEventShape>('GovernanceEvent').implement({
  description: 'Votes are reported without their choice until the proposal closes.',
  fields: (t) => ({
    type: t.exposeString('type', {
      description:
        'PROPOSAL_OPENED, PROPOSAL_VOTE_CAST, PROPOSAL_CLOSED, PROPOSAL_WITHDRAWN, RULE_ADOPTED, RULE_AMENDED, RULE_REPEALED, GOAL_SET or NETWORK_PURPOSE_UPDATED.',
    }),
    at: t.expose('at', { type: 'DateTime' }),
    proposal: t.field({ type: ProposalNode, nullable: true, resolve: (e) => e.proposal }),
    rule: t.field({ type: RuleNode, nullable: true, resolve: (e) => e.rule }),
    goal: t.field({ type: GoalNode, nullable: true, resolve: (e) => e.goal }),
  }),
});

builder.subscriptionField('governanceEvents', (t) =>
  t.field({
    type: GovernanceEvent,
    description: "Proposals opened, votes cast, proposals closed with their outcome, rule and goal changes; for the network's active members.",
    authScopes: subscriberScopes,
    args: { networkId: t.arg.id({ required: true }) },
    subscribe: (_root, args, context) =>
      memberEvents(context, 'governance', args.networkId, async (event) => {
        const id = (key: string) => (typeof event.data[key] === 'string' ? (event.data[key] as string) : null);
        const [proposalId, ruleId, goalId] = [id('proposalId'), id('ruleId'), id('goalId')];
        const { db } = context;
        return {
          type: eventName(event.type),
          at: new Date(event.at),
          proposal: proposalId ? await db.proposal.findUnique({ where: { id: proposalId } }) : null,
          rule: ruleId ? await db.rule.findUnique({ where: { id: ruleId } }) : null,
          goal: goalId ? await db.goal.findUnique({ where: { id: goalId } }) : null,
        };
      }),
    resolve: (event: GovernanceEventShape) => event,
  }),
);
