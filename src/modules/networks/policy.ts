import type { Membership, NetworkVisibility, Prisma } from '../../db/generated/prisma/client.js';

/** Who reads: a member (their id), an integration holding a token of one network, or
 * nobody (anonymous). An integration sees its network the way an active member does. */
export type Reader = string | { integrationOf: string } | null;

export const isIntegration = (reader: Reader): reader is { integrationOf: string } => typeof reader === 'object' && reader !== null;

/** The member id of a reader that is a member, else null. */
export const memberOf = (reader: Reader): string | null => (typeof reader === 'string' ? reader : null);

/**
 * Who may see what, as Prisma filters, so that every read path (root fields, node(id),
 * nested lists, subscriptions) applies the same rule inside its query. Reading what
 * one may not see looks like reading what does not exist.
 */

/** PUBLIC networks, and PRIVATE ones the viewer is an active member of. */
export function visibleNetworks(viewerId: Reader): Prisma.NetworkWhereInput {
  if (isIntegration(viewerId)) return { id: viewerId.integrationOf };
  if (!viewerId) return { visibility: 'PUBLIC' };
  return { OR: [{ visibility: 'PUBLIC' }, { memberships: { some: { memberId: viewerId, status: 'ACTIVE' } } }] };
}

/** Active memberships of visible networks; other statuses only to the member and the
 * network's active stewards. */
export function visibleMemberships(viewerId: Reader): Prisma.MembershipWhereInput {
  if (isIntegration(viewerId)) return { networkId: viewerId.integrationOf, status: 'ACTIVE' };
  const privileged: Prisma.MembershipWhereInput[] = viewerId
    ? [
        { memberId: viewerId },
        { network: { memberships: { some: { memberId: viewerId, status: 'ACTIVE', role: 'STEWARD' } } } },
      ]
    : [];
  return { network: visibleNetworks(viewerId), OR: [{ status: 'ACTIVE' }, ...privileged] };
}

/** `visibleMemberships` for one member and one membership whose network's visibility and
 * the member's own membership there are known: what subscriptions decide at delivery time,
 * without a query per subscriber. */
export function membershipVisibleTo(
  membership: Pick<Membership, 'memberId' | 'status'> & { network: { visibility: NetworkVisibility } },
  memberId: string,
  own: { status: string; role: string } | null,
): boolean {
  const active = own?.status === 'ACTIVE';
  if (membership.network.visibility !== 'PUBLIC' && !active) return false;
  return membership.status === 'ACTIVE' || membership.memberId === memberId || (active && own.role === 'STEWARD');
}

/** The viewer, and members with a membership the viewer may see. */
export function visibleMembers(viewerId: Reader): Prisma.MemberWhereInput {
  const some = { memberships: { some: visibleMemberships(viewerId) } };
  return typeof viewerId === 'string' ? { OR: [{ id: viewerId }, some] } : some;
}

/** Active stewardship of a network by the viewer. */
export const stewardOf = (viewerId: string, networkId: string): Prisma.MembershipWhereInput => ({
  memberId: viewerId,
  networkId,
  status: 'ACTIVE',
  role: 'STEWARD',
});
