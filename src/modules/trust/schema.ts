import { queryFromInfo } from '@pothos/plugin-prisma';
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Membership, Tie } from '../../db/generated/prisma/client.js';
import type { EngagementLevel } from '../../domain.js';
import { ENGAGEMENT_LEVELS } from '../../domain.js';
import { builder } from '../../graphql/builder.js';
import type { Context } from '../../graphql/context.js';
import { EngagementLevelEnum } from '../../graphql/enums.js';
import { codedError } from '../../graphql/errors.js';
import { localId } from '../../graphql/ids.js';
import { MemberNode } from '../accounts/schema.js';
import { MembershipNode } from '../networks/memberships.schema.js';
import { isActiveSteward } from '../networks/rules.js';
import { COOLING_AFTER_DAYS, STRONG_TIE_THRESHOLD, type Thresholds, decayedStrength } from './rules.js';
import type { TieView } from './service.js';

const viewerId = (context: Context) => context.viewer?.memberId ?? null;

/** Steward views: anyone else gets FORBIDDEN. */
async function requireSteward(context: Context, networkId: string) {
  const viewer = viewerId(context);
  if (!viewer || !(await context.services.networks.isSteward(viewer, networkId))) {
    throw codedError("Only the network's stewards can see this.", 'FORBIDDEN');
  }
}

const TieRef = builder.objectRef<TieView>('Tie').implement({
  description: 'What the member has done with another member of the network; strength in [0, 1] decays without interaction.',
  fields: (t) => ({
    member: t.prismaField({
      type: MemberNode,
      description: 'The other member.',
      resolve: (query, tie, _args, context) => context.services.accounts.findMember(tie.otherId, query),
    }),
    strength: t.float({ resolve: (tie) => Math.round(tie.current * 1000) / 1000 }),
    strong: t.boolean({ description: `Strength at least ${STRONG_TIE_THRESHOLD}.`, resolve: (tie) => tie.current >= STRONG_TIE_THRESHOLD }),
    meetupsTogether: t.exposeInt('meetupsTogether'),
    exchangesGiven: t.exposeInt('exchangesGiven', { description: 'Completed exchanges from the member to the other.' }),
    exchangesReceived: t.exposeInt('exchangesReceived'),
    vouched: t.exposeBoolean('vouched', { description: 'A vouch either way.' }),
    introductionsAccepted: t.exposeInt('introductionsAccepted'),
    lastInteractionAt: t.expose('lastInteractionAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.prismaObjectField('Member', 'ties', (t) =>
  t.field({
    type: [TieRef],
    description: "The member's ties in a network, strongest first; for the member and the network's stewards.",
    args: { networkId: t.arg.id({ required: true }), first: t.arg.int({ defaultValue: 20 }) },
    resolve: (member, args, context) => {
      const networkId = localId(String(args.networkId), 'Network');
      if (!networkId) throw codedError('Not a Network ID.', 'BAD_USER_INPUT');
      return context.ties.load({ memberId: member.id, networkId, first: args.first ?? 20 });
    },
  }),
);

builder.prismaObjectField('Membership', 'suggestedEngagementLevel', (t) =>
  t.field({
    type: EngagementLevelEnum,
    nullable: true,
    description: "The level the member's behaviour suggests; for the member and stewards.",
    select: { memberId: true, networkId: true },
    resolve: async (m, _args, context) => {
      const viewer = viewerId(context);
      if (!viewer) return null;
      // Every row waits for the same (batched) membership, so the levels of a page of
      // members load in one batch.
      const own = await context.viewerMemberships.load(m.networkId);
      if (viewer !== m.memberId && !isActiveSteward(own)) return null;
      return context.suggestedLevels.load({ memberId: m.memberId, networkId: m.networkId });
    },
  }),
);

const LevelCount = builder.objectRef<{ level: EngagementLevel; count: number }>('LevelCount').implement({
  fields: (t) => ({ level: t.field({ type: EngagementLevelEnum, resolve: (c) => c.level }), count: t.exposeInt('count') }),
});

const ReadyToMoveUp = builder.objectRef<{ membership: Membership; level: EngagementLevel; reason: string }>('ReadyToMoveUp').implement({
  fields: (t) => ({
    membership: t.field({ type: MembershipNode, resolve: (r) => r.membership }),
    suggestedLevel: t.field({ type: EngagementLevelEnum, resolve: (r) => r.level }),
    reason: t.exposeString('reason'),
  }),
});

const CoolingTie = builder.objectRef<Tie & { now: Date }>('CoolingTie').implement({
  description: 'A strong tie nobody has tended for a while.',
  fields: (t) => ({
    memberA: t.prismaField({ type: MemberNode, resolve: (query, tie, _a, context) => context.services.accounts.findMember(tie.memberAId, query) }),
    memberB: t.prismaField({ type: MemberNode, resolve: (query, tie, _a, context) => context.services.accounts.findMember(tie.memberBId, query) }),
    strength: t.float({ description: 'Now, after decay.', resolve: (tie) => Math.round(decayedStrength(tie.strength, tie.lastInteractionAt, tie.now) * 1000) / 1000 }),
    peakStrength: t.float({ description: 'At the last interaction.', resolve: (tie) => Math.round(tie.strength * 1000) / 1000 }),
    lastInteractionAt: t.expose('lastInteractionAt', { type: 'DateTime' }),
  }),
});

type Portfolio = Awaited<ReturnType<Context['services']['trust']['portfolio']>> & { now: Date };

const EngagementPortfolio = builder.objectRef<Portfolio>('EngagementPortfolio').implement({
  description: 'The mix a steward tends: members per engagement level, weak and strong ties, who is ready to move up, which strong ties are cooling.',
  fields: (t) => ({
    levels: t.field({
      type: [LevelCount],
      description: 'Active members at each level, lowest first.',
      resolve: (p) => ENGAGEMENT_LEVELS.map((level) => ({ level, count: p.levels.get(level) ?? 0 })),
    }),
    weakTies: t.exposeInt('weakTies'),
    strongTies: t.exposeInt('strongTies'),
    readyToMoveUp: t.field({
      type: [ReadyToMoveUp],
      // The memberships again, in one query with what is selected of them (the member, say),
      // rather than one query per membership.
      resolve: async (p, _args, context, info) => {
        const rows = await context.services.networks.findMemberships(
          p.readyToMoveUp.map((r) => r.membership.id),
          queryFromInfo({ context, info, path: ['membership'] }),
        );
        const byId = new Map(rows.map((row) => [row.id, row]));
        return p.readyToMoveUp.map((r) => ({ ...r, membership: byId.get(r.membership.id) ?? r.membership }));
      },
    }),
    coolingTies: t.field({ type: [CoolingTie], resolve: (p) => p.coolingTies.map((tie) => ({ ...tie, now: p.now })) }),
  }),
});

type MapShape = Awaited<ReturnType<Context['services']['trust']['map']>> & { networkId: string };

const MapNode = builder.objectRef<{ memberId: string; cluster: number; level: EngagementLevel }>('MapNode').implement({
  fields: (t) => ({
    member: t.prismaField({ type: MemberNode, resolve: (query, n, _a, context) => context.services.accounts.findMember(n.memberId, query) }),
    cluster: t.exposeInt('cluster', { description: 'Clusters are numbered by size, largest first.' }),
    engagementLevel: t.field({ type: EngagementLevelEnum, resolve: (n) => n.level }),
  }),
});

const MapEdge = builder.objectRef<{ a: string; b: string; strength: number }>('MapEdge').implement({
  fields: (t) => ({
    source: t.id({ description: 'Member ID.', resolve: (e) => encodeGlobalID('Member', e.a) }),
    target: t.id({ description: 'Member ID.', resolve: (e) => encodeGlobalID('Member', e.b) }),
    strength: t.float({ resolve: (e) => Math.round(e.strength * 1000) / 1000 }),
  }),
});

const NetworkMap = builder.objectRef<MapShape>('NetworkMap').implement({
  fields: (t) => ({
    nodes: t.field({
      type: [MapNode],
      description: 'Active members.',
      resolve: async (m, _a, context) => {
        const members = await context.services.networks.activeMemberships(m.networkId);
        return members.map((ms) => ({ memberId: ms.memberId, cluster: m.clusters.get(ms.memberId) ?? -1, level: ms.engagementLevel }));
      },
    }),
    edges: t.field({ type: [MapEdge], resolve: (m) => m.edges }),
    computedAt: t.expose('computedAt', { type: 'DateTime' }),
  }),
});

const Connector = builder.objectRef<{ memberId: string; score: number; reasons: string[] }>('Connector').implement({
  fields: (t) => ({
    member: t.prismaField({ type: MemberNode, resolve: (query, c, _a, context) => context.services.accounts.findMember(c.memberId, query) }),
    score: t.exposeFloat('score'),
    reasons: t.exposeStringList('reasons'),
  }),
});

const TrustThresholdsRef = builder.objectRef<Thresholds & { level: number }>('TrustThreshold').implement({
  description: 'Minimums a member must meet (with those of every level below) to hold a trust level.',
  fields: (t) => ({
    level: t.exposeInt('level'),
    meetupsAttended: t.exposeInt('meetupsAttended'),
    distinctMembersMet: t.exposeInt('distinctMembersMet'),
    confirmedExchangesGiven: t.exposeInt('confirmedExchangesGiven'),
    confirmedExchangesReceived: t.exposeInt('confirmedExchangesReceived'),
    vouchesFromTrusted: t.exposeInt('vouchesFromTrusted'),
    tenureDays: t.exposeInt('tenureDays'),
  }),
});

builder.prismaObjectFields('Network', (t) => ({
  trustThresholds: t.field({
    type: [TrustThresholdsRef],
    description: 'Minimums for trust levels 1 (KNOWN), 2 (TRUSTED) and 3 (PILLAR); changed by SET_TRUST_THRESHOLDS proposals.',
    resolve: async (network, _a, context) => {
      const thresholds = await context.services.trust.thresholds(network.id);
      return ([1, 2, 3] as const).map((level) => ({ level, ...thresholds[level] }));
    },
  }),
  engagementPortfolio: t.field({
    type: EngagementPortfolio,
    description: 'Stewards only.',
    args: { coolingAfterDays: t.arg.int({ defaultValue: COOLING_AFTER_DAYS }) },
    resolve: async (network, args, context) => {
      await requireSteward(context, network.id);
      const portfolio = await context.services.trust.portfolio(network.id, args.coolingAfterDays ?? COOLING_AFTER_DAYS);
      return { ...portfolio, now: context.services.now() };
    },
  }),
  connectors: t.field({
    type: [Connector],
    description: 'Stewards only: members who bridge clusters, best first (see the README for the score).',
    args: { first: t.arg.int({ defaultValue: 10 }) },
    resolve: async (network, args, context) => {
      await requireSteward(context, network.id);
      return (await context.services.trust.connectors(network.id, args.first ?? 10)).ranked;
    },
  }),
  map: t.field({
    type: NetworkMap,
    description: 'Stewards only: members, ties at or above minStrength, and the cluster of each member.',
    args: { minStrength: t.arg.float({ defaultValue: 0 }) },
    resolve: async (network, args, context) => {
      await requireSteward(context, network.id);
      return { ...(await context.services.trust.map(network.id, args.minStrength ?? 0)), networkId: network.id };
    },
  }),
}));
