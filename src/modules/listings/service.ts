import type { ServiceDeps } from '../../deps.js';
import type { Listing } from '../../db/generated/prisma/client.js';
import { badInput, conflict, forbidden, notFound } from '../../errors.js';
import type { EventType } from '../../events/types.js';
import { type RecordActivity, type Tx, inTransaction } from '../../events/unit-of-work.js';
import type { Viewer } from '../accounts/service.js';
import type { CloseListingInput, PostListingInput } from './inputs.js';
import { memberOf, type Reader } from '../networks/policy.js';
import { visibleListings } from './policy.js';
import { type TieSignal, isLinkable, listingStatusAfter, matchScore } from './rules.js';

export type ListingType = 'ASK' | 'OFFER';

/** Where tie closeness comes from for matching (the trust module); none by default. */
export type TieSignals = (fromMemberId: string, networkId: string, toMemberIds: string[]) => Promise<Map<string, TieSignal>>;

/** How many of the newest open listings are scored for one suggestion list. */
export const MATCH_CANDIDATES = 200;
export const MAX_SUGGESTIONS = 50;

/** What suggestions need of the listing they are for. */
export type SuggestionTarget = Pick<Listing, 'id' | 'networkId' | 'type' | 'authorId' | 'kind' | 'tags' | 'title' | 'description'>;

export type Match = { score: number; reasons: string[]; listing: Listing; target: SuggestionTarget };

const listingEvent = (l: Listing) => ({ listingId: l.id, type: l.type, kind: l.kind, status: l.status, authorId: l.authorId });

export type ListingsService = ReturnType<typeof createListingsService>;

export function createListingsService(deps: ServiceDeps, tieSignals: TieSignals = async () => new Map()) {
  const { db } = deps;

  async function setStatus(tx: Tx, record: RecordActivity, listing: Listing, status: Listing['status'], type: EventType, actorId: string | null) {
    if (status === listing.status) return listing;
    const updated = await tx.listing.update({ where: { id: listing.id }, data: { status } });
    await record({ type, networkId: updated.networkId, actorId, subjectId: updated.id, data: listingEvent(updated) });
    return updated;
  }

  return {
    async post(viewer: Viewer, type: ListingType, input: PostListingInput) {
      const network = await db.network.findUnique({
        where: { id: input.networkId },
        include: { memberships: { where: { memberId: viewer.memberId } } },
      });
      const membership = network?.memberships[0];
      if (!network || (network.visibility === 'PRIVATE' && membership?.status !== 'ACTIVE')) {
        throw notFound('No such network.', ['networkId']);
      }
      if (membership?.status !== 'ACTIVE') throw forbidden('Only active members can post in this network.');
      const visibility = input.visibility ?? 'NETWORK';
      if (visibility === 'PUBLIC' && network.visibility === 'PRIVATE') {
        throw badInput('A private network has no public listings.', ['visibility']);
      }
      if (input.expiresAt && input.expiresAt <= deps.now()) throw badInput('Choose an expiry in the future.', ['expiresAt']);
      return inTransaction(deps, async (tx, record) => {
        const listing = await tx.listing.create({
          data: {
            networkId: network.id,
            authorId: viewer.memberId,
            type,
            kind: input.kind,
            title: input.title,
            description: input.description ?? null,
            tags: input.tags,
            visibility,
            expiresAt: input.expiresAt ?? null,
          },
        });
        if (listing.expiresAt) await deps.jobs.enqueue(tx, 'listing.expire', { listingId: listing.id }, { startAfter: listing.expiresAt });
        await record({ type: 'listing.posted', networkId: network.id, actorId: viewer.memberId, subjectId: listing.id, data: listingEvent(listing) });
        return listing;
      });
    },

    /** The author takes their listing down. */
    async close(viewer: Viewer, input: CloseListingInput) {
      return inTransaction(deps, async (tx, record) => {
        const listing = await tx.listing.findFirst({ where: { id: input.listingId, ...visibleListings(viewer.memberId) } });
        if (!listing) throw notFound('No such listing.', ['listingId']);
        if (listing.authorId !== viewer.memberId) throw forbidden('Only the author can close a listing.');
        const { count } = await tx.listing.updateMany({
          where: { id: listing.id, status: { in: ['OPEN', 'MATCHED'] } },
          data: { status: 'CLOSED' },
        });
        if (count === 0) throw conflict(`This listing is already ${listing.status.toLowerCase()}.`, ['listingId']);
        const closed = await tx.listing.findUniqueOrThrow({ where: { id: listing.id } });
        await record({ type: 'listing.closed', networkId: closed.networkId, actorId: viewer.memberId, subjectId: closed.id, data: listingEvent(closed) });
        return closed;
      });
    },

    /** Job: an open listing whose expiry has passed becomes EXPIRED. */
    async expire(listingId: string) {
      await inTransaction(deps, async (tx, record) => {
        const { count } = await tx.listing.updateMany({
          where: { id: listingId, status: 'OPEN', expiresAt: { lte: deps.now() } },
          data: { status: 'EXPIRED' },
        });
        if (count === 0) return;
        const listing = await tx.listing.findUniqueOrThrow({ where: { id: listingId } });
        await record({ type: 'listing.expired', networkId: listing.networkId, subjectId: listing.id, data: listingEvent(listing) });
      });
    },

    /** A listing by id, with what `query` (a Prisma select or include) reads of it;
     * concurrent calls with the same query are batched into one statement by Prisma. */
    findListing: (id: string, query: object = {}) => db.listing.findUniqueOrThrow({ ...query, where: { id } }),

    findVisible: (viewerId: Reader, id: string) => db.listing.findFirst({ where: { id, ...visibleListings(viewerId) } }),
    findVisibleMany: (viewerId: Reader, ids: readonly string[]) =>
      db.listing.findMany({ where: { id: { in: [...ids] }, ...visibleListings(viewerId) } }),

    /** Open listings of the other type that could meet this one, best first, with reasons.
     * Never the viewer's or the listing author's own. */
    async suggestions(viewerId: Reader, listing: SuggestionTarget, first: number): Promise<Match[]> {
      const viewer = memberOf(viewerId);
      const candidates = await db.listing.findMany({
        where: {
          AND: [
            visibleListings(viewerId),
            {
              networkId: listing.networkId,
              type: listing.type === 'ASK' ? 'OFFER' : 'ASK',
              status: 'OPEN',
              authorId: { notIn: [listing.authorId, ...(viewer ? [viewer] : [])] },
            },
          ],
        },
        include: { author: { select: { displayName: true, skills: true } } },
        orderBy: { id: 'desc' },
        take: MATCH_CANDIDATES,
      });
      const authorIds = [...new Set(candidates.map((c) => c.authorId))];
      const [lastActive, ties] = await Promise.all([
        db.activity.groupBy({
          by: ['actorId'],
          where: { networkId: listing.networkId, actorId: { in: authorIds } },
          _max: { createdAt: true },
        }),
        tieSignals(listing.authorId, listing.networkId, authorIds),
      ]);
      const lastActiveAt = new Map(lastActive.map((row) => [row.actorId, row._max.createdAt]));
      const now = deps.now();
      return candidates
        .map((candidate) => {
          const author = { ...candidate.author, lastActiveAt: lastActiveAt.get(candidate.authorId) ?? null };
          const scored = matchScore(listing, { ...candidate, author }, now, ties.get(candidate.authorId) ?? null);
          return { ...scored, listing: candidate, target: listing };
        })
        .filter((m) => m.relevant)
        .sort((a, b) => b.score - a.score || (a.listing.id < b.listing.id ? 1 : -1))
        .slice(0, Math.min(Math.max(first, 0), MAX_SUGGESTIONS))
        .map(({ relevant: _relevant, ...match }) => match);
    },

    /** Links a listing to a new exchange (inside its transaction); it must be the given
     * type, in the network, by the given author, and still open. */
    async linkToExchange(tx: Tx, record: RecordActivity, link: { listingId: string; type: ListingType; networkId: string; authorId: string; field: string }) {
      const listing = await tx.listing.findUnique({ where: { id: link.listingId } });
      const noun = link.type === 'ASK' ? 'ask' : 'offer';
      if (!listing || listing.type !== link.type || listing.networkId !== link.networkId) {
        throw notFound(`No such ${noun} in this network.`, [link.field]);
      }
      if (listing.authorId !== link.authorId) {
        throw badInput(
          link.type === 'ASK' ? 'An ask is met by giving to the member who posted it.' : 'An offer is met by its author giving.',
          [link.field],
        );
      }
      if (!isLinkable(listing.status)) throw conflict(`This ${noun} is ${listing.status.toLowerCase()}.`, [link.field]);
      return setStatus(tx, record, listing, listingStatusAfter(listing.status, 'linked'), 'listing.matched', null);
    },

    /** The exchange linked to these listings completed. */
    async fulfil(tx: Tx, record: RecordActivity, listingIds: string[]) {
      for (const listing of await tx.listing.findMany({ where: { id: { in: listingIds } } })) {
        await setStatus(tx, record, listing, listingStatusAfter(listing.status, 'completed'), 'listing.fulfilled', null);
      }
    },

    /** The exchange linked to these listings was declined or cancelled: a listing it had
     * matched opens again unless another live exchange still holds it. */
    async release(tx: Tx, record: RecordActivity, released: { listingId: string; otherLiveExchanges: number }[]) {
      for (const { listingId, otherLiveExchanges } of released) {
        const listing = await tx.listing.findUniqueOrThrow({ where: { id: listingId } });
        await setStatus(tx, record, listing, listingStatusAfter(listing.status, 'fell_through', otherLiveExchanges), 'listing.reopened', null);
      }
    },
  };
}
