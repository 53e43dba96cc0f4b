import type { Prisma } from '../../db/generated/prisma/client.js';
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
