import type { Prisma } from '../../db/generated/prisma/client.js';

const activeMemberOfNetwork = (viewerId: string | null) =>
  viewerId ? { network: { memberships: { some: { memberId: viewerId, status: 'ACTIVE' as const } } } } : { networkId: { in: [] } };

/** Meetups, vouches and endorsements are for the network's active members. */
export const visibleMeetups = (viewerId: string | null): Prisma.MeetupWhereInput => activeMemberOfNetwork(viewerId);
export const visibleVouches = (viewerId: string | null): Prisma.VouchWhereInput => activeMemberOfNetwork(viewerId);
export const visibleEndorsements = (viewerId: string | null): Prisma.SkillEndorsementWhereInput => activeMemberOfNetwork(viewerId);

/** An introduction concerns its connector and the two introduced; stewards see them too. */
export function visibleIntroductions(viewerId: string | null): Prisma.IntroductionWhereInput {
  if (!viewerId) return { id: { in: [] } };
  return {
    OR: [
      { connectorId: viewerId },
      { memberAId: viewerId },
      { memberBId: viewerId },
      { network: { memberships: { some: { memberId: viewerId, status: 'ACTIVE', role: 'STEWARD' } } } },
    ],
  };
}
