import type { Network } from '../../db/generated/prisma/client.js';
import { builder } from '../../graphql/builder.js';
import { type Context, readerOf } from '../../graphql/context.js';
import {
  DecisionMethodEnum,
  EngagementLevelEnum,
  JoinPolicyEnum,
  MembershipRoleEnum,
  MembershipStatusEnum,
  NetworkVisibilityEnum,
} from '../../graphql/enums.js';
import { mutationField, payloadType } from '../../graphql/mutations.js';
import { createNetworkInput } from './inputs.js';
import { MembershipConnection, MembershipNode } from './memberships.schema.js';
import { visibleMemberships, visibleNetworks } from './policy.js';

const viewerId = readerOf;

export const NetworkNode = builder.prismaNode('Network', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, context) => ({ id, AND: [visibleNetworks(viewerId(context))] }),
  fields: (t) => ({
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    purpose: t.exposeString('purpose'),
    visibility: t.expose('visibility', { type: NetworkVisibilityEnum }),
    joinPolicy: t.expose('joinPolicy', { type: JoinPolicyEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    viewerMembership: t.prismaField({
      type: MembershipNode,
      nullable: true,
      description: "The viewer's membership in this network, whatever its status.",
      resolve: (query, network, _args, context) =>
        context.viewer ? context.services.networks.membershipOf(context.viewer.memberId, network.id, query) : null,
    }),
    members: t.relatedConnection(
      'memberships',
      {
        cursor: 'id',
        totalCount: true,
        description: 'Active members, oldest first; stewards also see pending and former ones with `status`.',
        args: {
          level: t.arg({ type: EngagementLevelEnum }),
          role: t.arg({ type: MembershipRoleEnum }),
          status: t.arg({ type: MembershipStatusEnum, defaultValue: 'ACTIVE' }),
        },
        query: (args, context) => ({
          where: {
            AND: [
              visibleMemberships(viewerId(context)),
              {
                status: args.status ?? 'ACTIVE',
                ...(args.level && { engagementLevel: args.level }),
                ...(args.role && { role: args.role }),
              },
            ],
          },
          orderBy: { id: 'asc' },
        }),
      },
      MembershipConnection,
    ),
  }),
});

builder.queryFields((t) => ({
  network: t.prismaField({
    type: 'Network',
    nullable: true,
    args: { slug: t.arg.string({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.db.network.findFirst({
        ...query,
        where: { slug: args.slug.trim().toLowerCase(), ...visibleNetworks(viewerId(context)) },
      }),
  }),
  networks: t.prismaConnection({
    type: 'Network',
    cursor: 'id',
    description: 'Networks the viewer may see, by name; `search` matches name, slug and purpose.',
    args: { search: t.arg.string() },
    totalCount: (_parent, args, context) => context.db.network.count({ where: networksWhere(args.search, context) }),
    resolve: (query, _root, args, context) =>
      context.db.network.findMany({
        ...query,
        where: networksWhere(args.search, context),
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
  }, { name: 'NetworkConnection' }, { name: 'NetworkEdge' }),
}));

function networksWhere(search: string | null | undefined, context: Context) {
  const term = search?.trim().slice(0, 100);
  const matches = term
    ? {
        OR: (['name', 'slug', 'purpose'] as const).map((field) => ({
          [field]: { contains: term, mode: 'insensitive' as const },
        })),
      }
    : {};
  return { AND: [visibleNetworks(viewerId(context)), matches] };
}

const CreateNetworkInput = builder.inputType('CreateNetworkInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    slug: t.string({ required: true }),
    purpose: t.string({ required: true }),
    visibility: t.field({ type: NetworkVisibilityEnum, required: true }),
    joinPolicy: t.field({ type: JoinPolicyEnum, required: true }),
    decisionMethod: t.field({ type: DecisionMethodEnum, required: true }),
    quorum: t.float({ required: true, description: 'Fraction of active members who must vote, in (0, 1].' }),
    votingPeriodHours: t.int({ required: true }),
  }),
});

const CreateNetworkPayload = payloadType<{ network: Network }>('CreateNetworkPayload', (t) => ({
  network: t.field({ type: NetworkNode, nullable: true, resolve: (p) => p.network ?? null }),
}));

mutationField('createNetwork', {
  description: 'The creator becomes an active STEWARD at LEADING; the input sets the first decision-making rule.',
  input: CreateNetworkInput,
  schema: createNetworkInput,
  payload: CreateNetworkPayload,
  resolve: async (input, context) => ({ network: await context.services.networks.createNetwork(context.viewer, input) }),
});

