import type { Listing, NetworkVisibility, Prisma } from '../../db/generated/prisma/client.js';
import { isIntegration, type Reader } from '../networks/policy.js';

/** PUBLIC listings of public networks for anyone; every listing for the network's active
 * members; their own listings for their authors. */
export function visibleListings(viewerId: Reader): Prisma.ListingWhereInput {
  if (isIntegration(viewerId)) return { networkId: viewerId.integrationOf };
  const everyone: Prisma.ListingWhereInput = { visibility: 'PUBLIC', network: { visibility: 'PUBLIC' } };
  if (!viewerId) return everyone;
  return {
    OR: [everyone, { authorId: viewerId }, { network: { memberships: { some: { memberId: viewerId, status: 'ACTIVE' } } } }],
  };
}

/** `visibleListings` for one member and one listing whose network's visibility and the
 * member's membership in it are known: what subscriptions decide at delivery time,
 * without a query per subscriber. */
export function listingVisibleTo(
  listing: Pick<Listing, 'authorId' | 'visibility'> & { network: { visibility: NetworkVisibility } },
  memberId: string,
  membership: { status: string } | null,
): boolean {
  if (listing.visibility === 'PUBLIC' && listing.network.visibility === 'PUBLIC') return true;
  return listing.authorId === memberId || membership?.status === 'ACTIVE';
}
