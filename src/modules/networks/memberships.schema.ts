import type { Membership, NetworkVisibility } from '../../db/generated/prisma/client.js';
import { builder } from '../../graphql/builder.js';
import { type Context, readerOf } from '../../graphql/context.js';
import { EngagementLevelEnum, MembershipRoleEnum, MembershipStatusEnum } from '../../graphql/enums.js';
import { globalIdOf } from '../../graphql/ids.js';
import { mutationField, payloadType } from '../../graphql/mutations.js';
import { eventName, memberEvents, subscriberScopes, visibleSubject } from '../../graphql/subscriptions.js';
import { joinNetworkInput, leaveNetworkInput, membershipDecisionInput } from './inputs.js';
import { membershipVisibleTo, visibleMemberships } from './policy.js';
import { isActiveSteward } from './rules.js';

const viewerId = readerOf;

/** True when the viewer is the membership's member or an active steward of its network. */
async function seesPrivateDetails(membership: Pick<Membership, 'memberId' | 'networkId'>, context: Context) {
  if (membership.memberId === context.viewer?.memberId) return true;
  return isActiveSteward(await context.viewerMemberships.load(membership.networkId));
}

export const MembershipNode = builder.prismaNode('Membership', {
  select: { id: true },
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, context) => ({ id, AND: [visibleMemberships(viewerId(context))] }),
  fields: (t) => ({
    member: t.relation('member'),
    network: t.relation('network'),
    role: t.expose('role', { type: MembershipRoleEnum }),
    status: t.expose('status', { type: MembershipStatusEnum }),
    engagementLevel: t.expose('engagementLevel', { type: EngagementLevelEnum }),
    trustLevel: t.exposeInt('trustLevel', { description: '0 NEW, 1 KNOWN, 2 TRUSTED, 3 PILLAR.' }),
    requestedAt: t.expose('requestedAt', { type: 'DateTime' }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime', nullable: true }),
    message: t.string({
      nullable: true,
      description: 'What the member wrote when asking to join; the member and stewards only.',
      select: { message: true, memberId: true, networkId: true },
      resolve: async (m, _args, context) => ((await seesPrivateDetails(m, context)) ? m.message : null),
    }),
    history: t.relation('changes', {
      description: 'Status, role, engagement and trust level changes, oldest first, with who made them and why.',
      query: { orderBy: { id: 'asc' } },
    }),
  }),
});

export const MembershipConnection = builder.connectionObject(
  { type: MembershipNode, name: 'MembershipConnection' },
  { name: 'MembershipEdge' },
);

builder.prismaObject('MembershipChange', {
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'STATUS, ROLE, ENGAGEMENT_LEVEL or TRUST_LEVEL.' }),
    from: t.exposeString('fromValue', { nullable: true }),
    to: t.exposeString('toValue'),
    reason: t.exposeString('reason'),
    actor: t.relation('actor', { nullable: true, description: 'Null when the system made the change.' }),
    at: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.prismaObjectField('Member', 'memberships', (t) =>
  t.relatedConnection(
    'memberships',
    {
      cursor: 'id',
      totalCount: true,
      query: (_args, context) => ({ where: visibleMemberships(viewerId(context)), orderBy: { id: 'asc' } }),
    },
    MembershipConnection,
  ),
);

/** A payload with the membership a mutation changed, read again with what the query selects. */
export const membershipPayload = (name: string) =>
  payloadType<{ membership: Membership }>(name, (t) => ({
    membership: t.prismaField({
      type: MembershipNode,
      nullable: true,
      resolve: (query, p, _args, context) => (p.membership ? context.services.networks.findMembership(p.membership.id, query) : null),
    }),
  }));

const JoinNetworkInput = builder.inputType('JoinNetworkInput', {
  fields: (t) => ({ networkId: t.id({ required: true }), message: t.string() }),
});
mutationField('joinNetwork', {
  description: 'OPEN networks admit at once (OBSERVING); APPROVAL networks wait for a steward; INVITATION networks refuse.',
  input: JoinNetworkInput,
  schema: joinNetworkInput.extend({ networkId: globalIdOf('Network') }),
  payload: membershipPayload('JoinNetworkPayload'),
  resolve: async (input, context) => ({ membership: await context.services.networks.join(context.viewer, input) }),
});

const LeaveNetworkInput = builder.inputType('LeaveNetworkInput', {
  fields: (t) => ({ networkId: t.id({ required: true }) }),
});
mutationField('leaveNetwork', {
  description: 'Ends an active membership or withdraws a pending request.',
  input: LeaveNetworkInput,
  schema: leaveNetworkInput.extend({ networkId: globalIdOf('Network') }),
  payload: membershipPayload('LeaveNetworkPayload'),
  resolve: async (input, context) => ({ membership: await context.services.networks.leave(context.viewer, input) }),
});

const decision = membershipDecisionInput.extend({ membershipId: globalIdOf('Membership') });
for (const [name, approve] of [['approveMembership', true], ['declineMembership', false]] as const) {
  const prefix = name[0]!.toUpperCase() + name.slice(1);
  mutationField(name, {
    description: approve
      ? 'A steward admits a pending member.'
      : 'A steward turns down a pending request; the membership becomes REMOVED.',
    input: builder.inputType(`${prefix}Input`, { fields: (t) => ({ membershipId: t.id({ required: true }) }) }),
    schema: decision,
    payload: membershipPayload(`${prefix}Payload`),
    resolve: async (input, context) => ({
      membership: await (approve ? context.services.networks.approve : context.services.networks.decline)(context.viewer, input),
    }),
  });
}

type MembershipEventShape = { type: string; membership: Membership; at: Date };

const MembershipEvent = builder.objectRef<MembershipEventShape>('MembershipEvent').implement({
  fields: (t) => ({
    type: t.exposeString('type', { description: 'JOINED, REQUESTED, APPROVED, DECLINED, LEFT, REMOVED or ROLE_CHANGED.' }),
    // Read once for every subscriber of the event on this instance who asks the same selection.
    membership: t.prismaField({
      type: MembershipNode,
      resolve: async (query, e, _args, context) => (await context.services.deliveries.membershipById(e.membership.id, query)) ?? e.membership,
    }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.subscriptionField('membershipEvents', (t) =>
  t.field({
    type: MembershipEvent,
    description: "Changes to a network's memberships, for its active members; each event shows only what the subscriber may see.",
    authScopes: subscriberScopes,
    args: { networkId: t.arg.id({ required: true }) },
    subscribe: (_root, args, context) =>
      memberEvents(context, 'membership', args.networkId, async (event, standing) => {
        if (!event.subjectId) return null;
        const id = event.subjectId;
        const { deliveries, networks } = context.services;
        const membership = await visibleSubject(
          context,
          standing,
          () => deliveries.membershipById(id, { include: { network: { select: { visibility: true } } } }) as Promise<(Membership & { network: { visibility: NetworkVisibility } }) | null>,
          membershipVisibleTo,
          (reader) => networks.findVisibleMembership(reader, id),
        );
        return membership ? { type: eventName(event.type, true), membership, at: new Date(event.at) } : null;
      }),
    resolve: (event: MembershipEventShape) => event,
  }),
);
