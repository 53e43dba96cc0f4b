import type { Prisma } from '../../db/generated/prisma/client.js';

/** The two parties always; the network's stewards (read-only); every active member when
 * the exchange is NETWORK-visible. */
export function visibleExchanges(viewerId: string | null): Prisma.ExchangeWhereInput {
  if (!viewerId) return { id: { in: [] } };
  const active = { memberId: viewerId, status: 'ACTIVE' as const };
  return {
    OR: [
      { giverId: viewerId },
      { receiverId: viewerId },
      { network: { memberships: { some: { ...active, role: 'STEWARD' } } } },
      { visibility: 'NETWORK', network: { memberships: { some: active } } },
    ],
  };
}
