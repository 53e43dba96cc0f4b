import type { Prisma } from '../../db/generated/prisma/client.js';
import { isIntegration, type Reader } from '../networks/policy.js';

/** The two parties always; the network's stewards (read-only); every active member when
 * the exchange is NETWORK-visible. */
export function visibleExchanges(viewerId: Reader): Prisma.ExchangeWhereInput {
  if (isIntegration(viewerId)) return { networkId: viewerId.integrationOf, visibility: 'NETWORK' };
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
