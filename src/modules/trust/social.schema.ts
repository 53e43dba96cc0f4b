import type { Introduction, Membership, SkillEndorsement, Vouch } from '../../db/generated/prisma/client.js';
import { builder } from '../../graphql/builder.js';
import { type Context, readerOf } from '../../graphql/context.js';
import { EngagementLevelEnum } from '../../graphql/enums.js';
import { globalIdOf, localId } from '../../graphql/ids.js';
import { mutationField, payloadType } from '../../graphql/mutations.js';
import { MembershipNode, membershipPayload } from '../networks/memberships.schema.js';
import {
  endorseSkillInput,
  introduceInput,
  respondToIntroductionInput,
  revokeVouchInput,
  setEngagementLevelInput,
  vouchInput,
} from './inputs.js';
import { visibleEndorsements, visibleIntroductions, visibleVouches } from './policy.js';

const viewerId = readerOf;

export const VouchNode = builder.prismaNode('Vouch', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, context) => ({ id, AND: [visibleVouches(viewerId(context))] }),
  fields: (t) => ({
    network: t.relation('network'),
    voucher: t.relation('voucher'),
    vouchee: t.relation('vouchee'),
    context: t.exposeString('context'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
  }),
});

const EndorsementRef = builder.prismaObject('SkillEndorsement', {
  fields: (t) => ({
    skill: t.exposeString('skill'),
    endorser: t.relation('endorser'),
    member: t.relation('member'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const IntroductionResponseEnum = builder.enumType('IntroductionResponse', { values: ['PENDING', 'ACCEPTED', 'DECLINED'] as const });

export const IntroductionNode = builder.prismaNode('Introduction', {
  id: { field: 'id' },
  nullable: true,
  description: 'A connector introducing two members; for the three of them and stewards.',
  findUnique: (id, context) => ({ id, AND: [visibleIntroductions(viewerId(context))] }),
  fields: (t) => ({
    network: t.relation('network'),
    connector: t.relation('connector'),
    memberA: t.relation('memberA'),
    memberB: t.relation('memberB'),
    note: t.exposeString('note'),
    responseA: t.expose('responseA', { type: IntroductionResponseEnum }),
    responseB: t.expose('responseB', { type: IntroductionResponseEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    metAt: t.expose('metAt', { type: 'DateTime', nullable: true, description: 'When the two first attended a meetup together afterwards.' }),
    exchangedAt: t.expose('exchangedAt', { type: 'DateTime', nullable: true, description: 'When they first completed an exchange afterwards.' }),
  }),
});

builder.prismaObjectField('Member', 'endorsements', (t) =>
  t.relation('endorsements', {
    description: "Skills other members endorsed, in networks the viewer is an active member of.",
    args: { networkId: t.arg.id() },
    query: (args, context) => {
      const networkId = args.networkId ? localId(String(args.networkId), 'Network') : undefined;
      return {
        // Both filters apply: the reader's own (an integration's network, say) must not
        // replace the network asked for.
        where: {
          AND: [visibleEndorsements(viewerId(context)), networkId !== undefined ? { networkId: networkId ?? { in: [] } } : {}],
        },
        orderBy: { createdAt: 'asc' },
      };
    },
  }),
);

mutationField('vouch', {
  description: 'Vouch for a member of the network, saying how you know them; one vouch per pair, revocable.',
  input: builder.inputType('VouchInput', {
    fields: (t) => ({ networkId: t.id({ required: true }), memberId: t.id({ required: true }), context: t.string({ required: true }) }),
  }),
  schema: vouchInput.extend({ networkId: globalIdOf('Network'), memberId: globalIdOf('Member') }),
  payload: payloadType<{ vouch: Vouch }>('VouchPayload', (t) => ({
    vouch: t.field({ type: VouchNode, nullable: true, resolve: (p) => p.vouch ?? null }),
  })),
  resolve: async (input, context) => ({ vouch: await context.services.social.vouch(context.viewer, input) }),
});

mutationField('revokeVouch', {
  input: builder.inputType('RevokeVouchInput', { fields: (t) => ({ vouchId: t.id({ required: true }) }) }),
  schema: revokeVouchInput.extend({ vouchId: globalIdOf('Vouch') }),
  payload: payloadType<{ vouch: Vouch }>('RevokeVouchPayload', (t) => ({
    vouch: t.field({ type: VouchNode, nullable: true, resolve: (p) => p.vouch ?? null }),
  })),
  resolve: async (input, context) => ({ vouch: await context.services.social.revokeVouch(context.viewer, input) }),
});

mutationField('endorseSkill', {
  input: builder.inputType('EndorseSkillInput', {
    fields: (t) => ({ networkId: t.id({ required: true }), memberId: t.id({ required: true }), skill: t.string({ required: true }) }),
  }),
  schema: endorseSkillInput.extend({ networkId: globalIdOf('Network'), memberId: globalIdOf('Member') }),
  payload: payloadType<{ endorsement: SkillEndorsement }>('EndorseSkillPayload', (t) => ({
    endorsement: t.field({ type: EndorsementRef, nullable: true, resolve: (p) => p.endorsement ?? null }),
  })),
  resolve: async (input, context) => ({ endorsement: await context.services.social.endorseSkill(context.viewer, input) }),
});

const introductionPayload = (name: string) =>
  payloadType<{ introduction: Introduction }>(name, (t) => ({
    introduction: t.field({ type: IntroductionNode, nullable: true, resolve: (p) => p.introduction ?? null }),
  }));

mutationField('introduce', {
  description: 'Introduce two members who should know each other, with a note.',
  input: builder.inputType('IntroduceInput', {
    fields: (t) => ({
      networkId: t.id({ required: true }),
      memberAId: t.id({ required: true }),
      memberBId: t.id({ required: true }),
      note: t.string({ required: true }),
    }),
  }),
  schema: introduceInput.safeExtend({ networkId: globalIdOf('Network'), memberAId: globalIdOf('Member'), memberBId: globalIdOf('Member') }),
  payload: introductionPayload('IntroducePayload'),
  resolve: async (input, context) => ({ introduction: await context.services.social.introduce(context.viewer, input) }),
});

mutationField('respondToIntroduction', {
  description: 'Each of the two introduced accepts or declines, once.',
  input: builder.inputType('RespondToIntroductionInput', {
    fields: (t) => ({ introductionId: t.id({ required: true }), accept: t.boolean({ required: true }) }),
  }),
  schema: respondToIntroductionInput.extend({ introductionId: globalIdOf('Introduction') }),
  payload: introductionPayload('RespondToIntroductionPayload'),
  resolve: async (input, context) => ({ introduction: await context.services.social.respondToIntroduction(context.viewer, input) }),
});

mutationField('setEngagementLevel', {
  description: "Stewards confirm or set a member's engagement level, with a reason kept in the history.",
  input: builder.inputType('SetEngagementLevelInput', {
    fields: (t) => ({
      membershipId: t.id({ required: true }),
      level: t.field({ type: EngagementLevelEnum, required: true }),
      reason: t.string({ required: true }),
    }),
  }),
  schema: setEngagementLevelInput.extend({ membershipId: globalIdOf('Membership') }),
  payload: membershipPayload('SetEngagementLevelPayload'),
  resolve: async (input, context) => ({ membership: await context.services.social.setEngagementLevel(context.viewer, input) }),
});
