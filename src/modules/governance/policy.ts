import type { Prisma } from '../../db/generated/prisma/client.js';

/** Proposals are the business of a network's active members only, even in public networks. */
export const visibleProposals = (viewerId: string | null): Prisma.ProposalWhereInput =>
  viewerId ? { network: { memberships: { some: { memberId: viewerId, status: 'ACTIVE' } } } } : { id: { in: [] } };
