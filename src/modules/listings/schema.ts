import type { Listing, NetworkVisibility } from '../../db/generated/prisma/client.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import { type Context, readerOf } from '../../graphql/context.js';
import { ContributionKindEnum, ListingStatusEnum, ListingVisibilityEnum } from '../../graphql/enums.js';
import { globalIdOf } from '../../graphql/ids.js';
import { mutationField, payloadType } from '../../graphql/mutations.js';
import { eventName, memberEvents, subscriberScopes, visibleSubject } from '../../graphql/subscriptions.js';
import { MemberNode } from '../accounts/schema.js';
import { closeListingInput, postListingInput } from './inputs.js';
import { listingVisibleTo, visibleListings } from './policy.js';
import { type Match, MAX_SUGGESTIONS } from './service.js';

const viewerId = readerOf;

export const ListingInterface = builder.prismaInterface('Listing', {
  select: { id: true, type: true },
  name: 'Listing',
  description: 'An ask or an offer of one contribution kind.',
  resolveType: (listing) => (listing.type === 'ASK' ? 'Ask' : 'Offer'),
  fields: (t) => ({
    id: t.id({ resolve: (l) => encodeGlobalID(l.type === 'ASK' ? 'Ask' : 'Offer', l.id) }),
    kind: t.expose('kind', { type: ContributionKindEnum }),
    title: t.exposeString('title'),
    description: t.exposeString('description', { nullable: true }),
    tags: t.exposeStringList('tags'),
    status: t.expose('status', { type: ListingStatusEnum }),
    visibility: t.expose('visibility', { type: ListingVisibilityEnum }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    author: t.relation('author'),
    network: t.relation('network'),
  }),
});

const listingNode = (type: 'ASK' | 'OFFER') =>
  builder.prismaNode('Listing', {
    variant: type === 'ASK' ? 'Ask' : 'Offer',
    select: { id: true, type: true },
    interfaces: [ListingInterface],
    id: { field: 'id' },
    nullable: true,
    findUnique: (id, context) => ({ id, AND: [{ type }, visibleListings(viewerId(context))] }),
    fields: () => ({}),
  });

export const AskNode = listingNode('ASK');
export const OfferNode = listingNode('OFFER');

const MatchRef = builder.objectRef<Match>('Match').implement({
  description: 'A listing that may meet another, with its score in [0, 1] and the reasons for it.',
  fields: (t) => ({
    score: t.exposeFloat('score'),
    reasons: t.exposeStringList('reasons'),
    // Both listings read again with what the query selects of them, one statement for
    // every match of the list (Prisma batches them).
    ask: t.prismaField({
      type: AskNode,
      nullable: true,
      resolve: (query, m, _args, context) => context.services.listings.findListing(m.listing.type === 'ASK' ? m.listing.id : m.target.id, query),
    }),
    offer: t.prismaField({
      type: OfferNode,
      nullable: true,
      resolve: (query, m, _args, context) => context.services.listings.findListing(m.listing.type === 'OFFER' ? m.listing.id : m.target.id, query),
    }),
    member: t.prismaField({
      type: MemberNode,
      description: 'Who posted the suggested listing.',
      resolve: (query, m, _args, context) => context.services.accounts.findMember(m.listing.authorId, query),
    }),
  }),
});

const suggestions = (field: 'suggestedOffers' | 'suggestedAsks', node: typeof AskNode) =>
  builder.prismaObjectField(node, field, (t) =>
    t.field({
      type: [MatchRef],
      description: `Open ${field === 'suggestedOffers' ? 'offers' : 'asks'} of the network that may meet this one, best first (at most ${MAX_SUGGESTIONS}); never the viewer's own. See the README for the score.`,
      args: { first: t.arg.int({ defaultValue: 10 }) },
      select: { networkId: true, authorId: true, kind: true, tags: true, title: true, description: true },
      resolve: (listing, args, context) => context.services.listings.suggestions(viewerId(context), listing, args.first ?? 10),
    }),
  );
suggestions('suggestedOffers', AskNode);
suggestions('suggestedAsks', OfferNode);

const AskConnection = builder.connectionObject({ type: AskNode, name: 'AskConnection' }, { name: 'AskEdge' });
const OfferConnection = builder.connectionObject({ type: OfferNode, name: 'OfferConnection' }, { name: 'OfferEdge' });

builder.prismaObjectFields('Network', (t) => {
  const listings = (type: 'ASK' | 'OFFER') =>
    t.relatedConnection(
      'listings',
      {
        type: type === 'ASK' ? AskNode : OfferNode,
        cursor: 'id',
        totalCount: true,
        description: `${type === 'ASK' ? 'Asks' : 'Offers'} the viewer may see, newest first.`,
        args: {
          kind: t.arg({ type: ContributionKindEnum }),
          status: t.arg({ type: ListingStatusEnum }),
          tag: t.arg.string(),
        },
        query: (args, context) => ({
          where: {
            AND: [
              visibleListings(viewerId(context)),
              {
                type,
                ...(args.kind && { kind: args.kind }),
                ...(args.status && { status: args.status }),
                ...(args.tag && { tags: { has: args.tag.trim().toLowerCase() } }),
              },
            ],
          },
          orderBy: { id: 'desc' },
        }),
      },
      type === 'ASK' ? AskConnection : OfferConnection,
    );
  return { asks: listings('ASK'), offers: listings('OFFER') };
});

const PostListingInput = builder.inputType('PostListingInput', {
  fields: (t) => ({
    networkId: t.id({ required: true }),
    kind: t.field({ type: ContributionKindEnum, required: true }),
    title: t.string({ required: true }),
    description: t.string(),
    tags: t.stringList({ description: 'Stored trimmed, lower-case and without duplicates; at most 10 of 32 characters.' }),
    expiresAt: t.field({ type: 'DateTime', description: 'An open listing becomes EXPIRED then.' }),
    visibility: t.field({ type: ListingVisibilityEnum, description: 'NETWORK by default; PUBLIC only in public networks.' }),
  }),
});

const postListing = postListingInput.extend({ networkId: globalIdOf('Network') });

mutationField('postAsk', {
  description: 'Asks the network for something; active members only.',
  input: PostListingInput,
  schema: postListing,
  payload: payloadType<{ ask: Listing }>('PostAskPayload', (t) => ({
    ask: t.prismaField({
      type: AskNode,
      nullable: true,
      resolve: (query, p, _args, context) => (p.ask ? context.services.listings.findListing(p.ask.id, query) : null),
    }),
  })),
  resolve: async (input, context) => ({ ask: await context.services.listings.post(context.viewer, 'ASK', input) }),
});

mutationField('postOffer', {
  description: 'Offers something to the network; active members only.',
  input: PostListingInput,
  schema: postListing,
  payload: payloadType<{ offer: Listing }>('PostOfferPayload', (t) => ({
    offer: t.prismaField({
      type: OfferNode,
      nullable: true,
      resolve: (query, p, _args, context) => (p.offer ? context.services.listings.findListing(p.offer.id, query) : null),
    }),
  })),
  resolve: async (input, context) => ({ offer: await context.services.listings.post(context.viewer, 'OFFER', input) }),
});

mutationField('closeListing', {
  description: 'The author closes their ask or offer.',
  input: builder.inputType('CloseListingInput', { fields: (t) => ({ listingId: t.id({ required: true }) }) }),
  schema: closeListingInput.extend({ listingId: globalIdOf(['Ask', 'Offer']) }),
  payload: payloadType<{ listing: Listing }>('CloseListingPayload', (t) => ({
    listing: t.prismaField({
      type: ListingInterface,
      nullable: true,
      resolve: (query, p, _args, context) => (p.listing ? context.services.listings.findListing(p.listing.id, query) : null),
    }),
  })),
  resolve: async (input, context) => ({ listing: await context.services.listings.close(context.viewer, input) }),
});

type ListingEventShape = { type: string; listing: Listing; at: Date };

const ListingEvent = builder.objectRef<ListingEventShape>('ListingEvent').implement({
  fields: (t) => ({
    type: t.exposeString('type', { description: 'POSTED, MATCHED, FULFILLED, REOPENED, CLOSED or EXPIRED.' }),
    // Read once for every subscriber of the event on this instance who asks the same selection.
    listing: t.prismaField({
      type: ListingInterface,
      resolve: async (query, e, _args, context) => (await context.services.deliveries.listing(e.listing.id, query)) ?? e.listing,
    }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.subscriptionField('listingEvents', (t) =>
  t.field({
    type: ListingEvent,
    description: "Asks and offers posted and changing status, for the network's active members.",
    authScopes: subscriberScopes,
    args: { networkId: t.arg.id({ required: true }) },
    subscribe: (_root, args, context) =>
      memberEvents(context, 'listing', args.networkId, async (event, standing) => {
        if (!event.subjectId) return null;
        const id = event.subjectId;
        const { deliveries, listings } = context.services;
        const listing = await visibleSubject(
          context,
          standing,
          () => deliveries.listing(id, { include: { network: { select: { visibility: true } } } }) as Promise<(Listing & { network: { visibility: NetworkVisibility } }) | null>,
          listingVisibleTo,
          (reader) => listings.findVisible(reader, id),
        );
        return listing ? { type: eventName(event.type, true), listing, at: new Date(event.at) } : null;
      }),
    resolve: (event: ListingEventShape) => event,
  }),
);
