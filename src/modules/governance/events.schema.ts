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
    // Each read once for every subscriber of the event on this instance who asks the same selection.
    proposal: t.prismaField({
      type: ProposalNode,
      nullable: true,
      resolve: async (query, e, _args, context) => (e.proposal ? ((await context.services.deliveries.proposal(e.proposal.id, query)) ?? e.proposal) : null),
    }),
    rule: t.prismaField({
      type: RuleNode,
      nullable: true,
      resolve: async (query, e, _args, context) => (e.rule ? ((await context.services.deliveries.rule(e.rule.id, query)) ?? e.rule) : null),
    }),
    goal: t.prismaField({
      type: GoalNode,
      nullable: true,
      resolve: async (query, e, _args, context) => (e.goal ? ((await context.services.deliveries.goal(e.goal.id, query)) ?? e.goal) : null),
    }),
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
        // The subscriber is an active member (or an integration) of the network the event
        // is about, so they may see its proposals, rules and goals: read once for all of them.
        const { deliveries } = context.services;
        const [proposal, rule, goal] = await Promise.all([
          proposalId ? deliveries.proposal(proposalId) : null,
          ruleId ? deliveries.rule(ruleId) : null,
          goalId ? deliveries.goal(goalId) : null,
        ]);
        return { type: eventName(event.type), at: new Date(event.at), proposal, rule, goal };
      }),
    resolve: (event: GovernanceEventShape) => event,
  }),
);
