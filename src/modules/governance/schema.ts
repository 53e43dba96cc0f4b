import { builder } from '../../graphql/builder.js';
import { type Context, readerOf } from '../../graphql/context.js';
import { DecisionMethodEnum, GoalStatusEnum, RuleKindEnum } from '../../graphql/enums.js';
import { visibleNetworks } from '../networks/policy.js';

const inVisibleNetwork = (context: Context) => ({ network: visibleNetworks(readerOf(context)) });

const decisionFields = {
  decisionMethod: { type: DecisionMethodEnum, nullable: true },
  quorum: { description: 'Fraction of active members who must vote (DECISION_MAKING rules).' },
  votingPeriodHours: {},
} as const;

export const RuleNode = builder.prismaNode('Rule', {
  id: { field: 'id' },
  nullable: true,
  description: 'A rule as currently in force; `versions` keeps every earlier text.',
  findUnique: (id, context) => ({ id, AND: [inVisibleNetwork(context)] }),
  fields: (t) => ({
    network: t.relation('network'),
    kind: t.expose('kind', { type: RuleKindEnum }),
    title: t.exposeString('title'),
    body: t.exposeString('body'),
    version: t.exposeInt('version'),
    decisionMethod: t.expose('decisionMethod', decisionFields.decisionMethod),
    quorum: t.exposeFloat('quorum', { nullable: true, ...decisionFields.quorum }),
    votingPeriodHours: t.exposeInt('votingPeriodHours', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    repealedAt: t.expose('repealedAt', { type: 'DateTime', nullable: true }),
    versions: t.relation('versions', { description: 'Newest first.', query: { orderBy: { version: 'desc' } } }),
  }),
});

builder.prismaObject('RuleVersion', {
  fields: (t) => ({
    version: t.exposeInt('version'),
    title: t.exposeString('title'),
    body: t.exposeString('body'),
    decisionMethod: t.expose('decisionMethod', decisionFields.decisionMethod),
    quorum: t.exposeFloat('quorum', { nullable: true, ...decisionFields.quorum }),
    votingPeriodHours: t.exposeInt('votingPeriodHours', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

export const GoalNode = builder.prismaNode('Goal', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, context) => ({ id, AND: [inVisibleNetwork(context)] }),
  fields: (t) => ({
    network: t.relation('network'),
    title: t.exposeString('title'),
    status: t.expose('status', { type: GoalStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectFields('Network', (t) => ({
  goals: t.relation('goals', { query: { orderBy: { id: 'asc' } } }),
  rules: t.relation('rules', {
    description: 'Rules in force (not repealed), oldest first.',
    args: { kind: t.arg({ type: RuleKindEnum }) },
    query: (args) => ({ where: { repealedAt: null, ...(args.kind && { kind: args.kind }) }, orderBy: { id: 'asc' } }),
  }),
}));
