import type { Exchange } from '../../db/generated/prisma/client.js';
import { builder } from '../../graphql/builder.js';
import { type Context, readerOf } from '../../graphql/context.js';
import { ContributionKindEnum, ExchangeStatusEnum, ExchangeVisibilityEnum, MeasureUnitEnum } from '../../graphql/enums.js';
import { globalIdOf } from '../../graphql/ids.js';
import { mutationField, payloadType } from '../../graphql/mutations.js';
import { eventName, memberEvents, subscriberScopes, visibleSubject } from '../../graphql/subscriptions.js';
import { AskNode, OfferNode } from '../listings/schema.js';
import { cancelExchangeInput, gratitudeInput, proposeExchangeInput, respondToExchangeInput } from './inputs.js';
import { exchangeVisibleTo, visibleExchanges } from './policy.js';

const viewerId = readerOf;

export const ExchangeNode = builder.prismaNode('Exchange', {
  select: { id: true },
  id: { field: 'id' },
  nullable: true,
  description: 'One act of giving: PROPOSED -> ACCEPTED -> COMPLETED (then confirmed by each side), or DECLINED / CANCELLED.',
  findUnique: (id, context) => ({ id, AND: [visibleExchanges(viewerId(context))] }),
  fields: (t) => ({
    network: t.relation('network'),
    giver: t.relation('giver'),
    receiver: t.relation('receiver'),
    proposer: t.relation('proposer'),
    // The listing an exchange answers follows its own visibility: a party may not see it.
    // It is loaded with the exchange, with what the query selects of it (its author, say),
    // and shown if the reader may see it, which one batched query per request decides.
    ask: t.field({
      type: AskNode,
      nullable: true,
      select: (_args, _context, nestedSelection) => ({ ask: nestedSelection(true) }),
      resolve: async (exchange, _args, context) => (exchange.ask && (await context.visibleListings.load(exchange.ask.id)) ? exchange.ask : null),
    }),
    offer: t.field({
      type: OfferNode,
      nullable: true,
      select: (_args, _context, nestedSelection) => ({ offer: nestedSelection(true) }),
      resolve: async (exchange, _args, context) => (exchange.offer && (await context.visibleListings.load(exchange.offer.id)) ? exchange.offer : null),
    }),
    kind: t.expose('kind', { type: ContributionKindEnum }),
    description: t.exposeString('description', { nullable: true }),
    measure: t.exposeFloat('measure', { nullable: true }),
    measureUnit: t.expose('measureUnit', { type: MeasureUnitEnum, nullable: true }),
    status: t.expose('status', { type: ExchangeStatusEnum }),
    visibility: t.expose('visibility', { type: ExchangeVisibilityEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    respondedAt: t.expose('respondedAt', { type: 'DateTime', nullable: true }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    cancelledAt: t.expose('cancelledAt', { type: 'DateTime', nullable: true }),
    giverConfirmedAt: t.expose('giverConfirmedAt', { type: 'DateTime', nullable: true }),
    receiverConfirmedAt: t.expose('receiverConfirmedAt', { type: 'DateTime', nullable: true }),
    giverGratitude: t.exposeString('giverGratitude', { nullable: true }),
    receiverGratitude: t.exposeString('receiverGratitude', { nullable: true }),
  }),
});

const ExchangeConnection = builder.connectionObject({ type: ExchangeNode, name: 'ExchangeConnection' }, { name: 'ExchangeEdge' });

builder.prismaObjectField('Network', 'exchanges', (t) =>
  t.relatedConnection(
    'exchanges',
    {
      cursor: 'id',
      totalCount: true,
      description: 'Exchanges the viewer may see (their own, NETWORK-visible ones, all of them for stewards), newest first.',
      args: { status: t.arg({ type: ExchangeStatusEnum }) },
      query: (args, context) => ({
        where: { AND: [visibleExchanges(viewerId(context)), args.status ? { status: args.status } : {}] },
        orderBy: { id: 'desc' },
      }),
    },
    ExchangeConnection,
  ),
);

const exchangePayload = (name: string) =>
  payloadType<{ exchange: Exchange }>(name, (t) => ({
    exchange: t.prismaField({
      type: ExchangeNode,
      nullable: true,
      resolve: (query, p, _args, context) => (p.exchange ? context.services.exchanges.findExchange(p.exchange.id, query) : null),
    }),
  }));

const ProposeExchangeInput = builder.inputType('ProposeExchangeInput', {
  fields: (t) => ({
    networkId: t.id({ required: true }),
    giverId: t.id({ required: true, description: 'The viewer must be the giver or the receiver.' }),
    receiverId: t.id({ required: true }),
    kind: t.field({ type: ContributionKindEnum, required: true }),
    description: t.string(),
    askId: t.id({ description: "An ask of the receiver's that this exchange meets." }),
    offerId: t.id({ description: "An offer of the giver's that this exchange takes up." }),
    measure: t.float({ description: 'How much was given, with measureUnit.' }),
    measureUnit: t.field({ type: MeasureUnitEnum }),
    visibility: t.field({ type: ExchangeVisibilityEnum, description: 'PARTIES by default.' }),
    idempotencyKey: t.string({ description: 'The same key again returns the same exchange and writes nothing new.' }),
  }),
});

mutationField('proposeExchange', {
  input: ProposeExchangeInput,
  schema: proposeExchangeInput.safeExtend({
    networkId: globalIdOf('Network'),
    giverId: globalIdOf('Member'),
    receiverId: globalIdOf('Member'),
    askId: globalIdOf('Ask').nullish(),
    offerId: globalIdOf('Offer').nullish(),
  }),
  payload: exchangePayload('ProposeExchangePayload'),
  resolve: async (input, context) => ({ exchange: await context.services.exchanges.propose(context.viewer, input) }),
});

mutationField('respondToExchange', {
  description: 'The side that did not propose accepts or declines.',
  input: builder.inputType('RespondToExchangeInput', {
    fields: (t) => ({ exchangeId: t.id({ required: true }), accept: t.boolean({ required: true }) }),
  }),
  schema: respondToExchangeInput.extend({ exchangeId: globalIdOf('Exchange') }),
  payload: exchangePayload('RespondToExchangePayload'),
  resolve: async (input, context) => ({ exchange: await context.services.exchanges.respond(context.viewer, input) }),
});

const gratitude = gratitudeInput.extend({ exchangeId: globalIdOf('Exchange') });

mutationField('completeExchange', {
  description: 'Either side marks an accepted exchange done, optionally with a note of thanks.',
  input: builder.inputType('CompleteExchangeInput', {
    fields: (t) => ({ exchangeId: t.id({ required: true }), gratitude: t.string() }),
  }),
  schema: gratitude,
  payload: exchangePayload('CompleteExchangePayload'),
  resolve: async (input, context) => ({ exchange: await context.services.exchanges.complete(context.viewer, input) }),
});

mutationField('confirmExchange', {
  description: 'Each side confirms a completed exchange once, optionally with a note of thanks.',
  input: builder.inputType('ConfirmExchangeInput', {
    fields: (t) => ({ exchangeId: t.id({ required: true }), gratitude: t.string() }),
  }),
  schema: gratitude,
  payload: exchangePayload('ConfirmExchangePayload'),
  resolve: async (input, context) => ({ exchange: await context.services.exchanges.confirm(context.viewer, input) }),
});

mutationField('cancelExchange', {
  description: 'Either side calls off a proposed or accepted exchange.',
  input: builder.inputType('CancelExchangeInput', { fields: (t) => ({ exchangeId: t.id({ required: true }) }) }),
  schema: cancelExchangeInput.extend({ exchangeId: globalIdOf('Exchange') }),
  payload: exchangePayload('CancelExchangePayload'),
  resolve: async (input, context) => ({ exchange: await context.services.exchanges.cancel(context.viewer, input) }),
});

type ExchangeEventShape = { type: string; exchange: Exchange; at: Date };

const ExchangeEvent = builder.objectRef<ExchangeEventShape>('ExchangeEvent').implement({
  fields: (t) => ({
    type: t.exposeString('type', { description: 'PROPOSED, ACCEPTED, DECLINED, COMPLETED, CONFIRMED or CANCELLED.' }),
    // Read once for every subscriber of the event on this instance who asks the same
    // selection, instead of once per subscriber.
    exchange: t.prismaField({
      type: ExchangeNode,
      resolve: async (query, e, _args, context) => (await context.services.deliveries.exchange(e.exchange.id, query)) ?? e.exchange,
    }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.subscriptionField('exchangeEvents', (t) =>
  t.field({
    type: ExchangeEvent,
    description: "Exchanges moving through their lifecycle, for the network's active members who may see each one when it happens.",
    authScopes: subscriberScopes,
    args: { networkId: t.arg.id({ required: true }) },
    subscribe: (_root, args, context) =>
      memberEvents(context, 'exchange', args.networkId, async (event, standing) => {
        if (!event.subjectId) return null;
        const id = event.subjectId;
        const { deliveries, exchanges } = context.services;
        const exchange = await visibleSubject(context, standing, () => deliveries.exchange(id), exchangeVisibleTo, (reader) => exchanges.findVisible(reader, id));
        return exchange ? { type: eventName(event.type, true), exchange, at: new Date(event.at) } : null;
      }),
    resolve: (event: ExchangeEventShape) => event,
  }),
);
