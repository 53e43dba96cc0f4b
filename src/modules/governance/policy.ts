import type { Prisma } from '../../db/generated/prisma/client.js';
import { isIntegration, type Reader } from '../networks/policy.js';

/** Proposals are the business of a network's active members (and its integrations) only,
 * even in public networks. */
export function visibleProposals(viewerId: Reader): Prisma.ProposalWhereInput {
  if (isIntegration(viewerId)) return { networkId: viewerId.integrationOf };
  return viewerId ? { network: { memberships: { some: { memberId: viewerId, status: 'ACTIVE' } } } } : { id: { in: [] } };
}
