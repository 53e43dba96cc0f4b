import type { Prisma } from '../../db/generated/prisma/client.js';

/**
 * Who may see what, as Prisma filters, so that every read path (root fields, node(id),
 * nested lists, subscriptions) applies the same rule inside its query. Reading what
 * one may not see looks like reading what does not exist.
 */

/** PUBLIC networks, and PRIVATE ones the viewer is an active member of. */
export function visibleNetworks(viewerId: string | null): Prisma.NetworkWhereInput {
  if (!viewerId) return { visibility: 'PUBLIC' };
  return { OR: [{ visibility: 'PUBLIC' }, { memberships: { some: { memberId: viewerId, status: 'ACTIVE' } } }] };
}

/** Active memberships of visible networks; other statuses only to the member and the
 * network's active stewards. */
export function visibleMemberships(viewerId: string | null): Prisma.MembershipWhereInput {
  const privileged: Prisma.MembershipWhereInput[] = viewerId
    ? [
        { memberId: viewerId },
        { network: { memberships: { some: { memberId: viewerId, status: 'ACTIVE', role: 'STEWARD' } } } },
      ]
    : [];
  return { network: visibleNetworks(viewerId), OR: [{ status: 'ACTIVE' }, ...privileged] };
}

/** The viewer, and members with a membership the viewer may see. */
export function visibleMembers(viewerId: string | null): Prisma.MemberWhereInput {
  const some = { memberships: { some: visibleMemberships(viewerId) } };
  return viewerId ? { OR: [{ id: viewerId }, some] } : some;
}

/** Active stewardship of a network by the viewer. */
export const stewardOf = (viewerId: string, networkId: string): Prisma.MembershipWhereInput => ({
  memberId: viewerId,
  networkId,
  status: 'ACTIVE',
  role: 'STEWARD',
});
