import type { Exchange, Prisma } from '../../db/generated/prisma/client.js';
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

/**
 * The same rule as `visibleExchanges` for one member, given their membership in the
 * exchange's network: used where many members are checked against one exchange at once
 * (an event reaching its subscribers). test/exchanges.test.ts holds the two to agreeing.
 */
export function exchangeVisibleTo(
  exchange: Pick<Exchange, 'giverId' | 'receiverId' | 'visibility'>,
  memberId: string,
  membership: { status: string; role: string } | null,
): boolean {
  if (exchange.giverId === memberId || exchange.receiverId === memberId) return true;
  if (membership?.status !== 'ACTIVE') return false;
  return membership.role === 'STEWARD' || exchange.visibility === 'NETWORK';
}
