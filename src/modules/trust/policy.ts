import type { Prisma } from '../../db/generated/prisma/client.js';
import { isIntegration, type Reader } from '../networks/policy.js';

const activeMemberOfNetwork = (viewerId: Reader) => {
  if (isIntegration(viewerId)) return { networkId: viewerId.integrationOf };
  return viewerId ? { network: { memberships: { some: { memberId: viewerId, status: 'ACTIVE' as const } } } } : { networkId: { in: [] } };
};

/** Meetups, vouches and endorsements are for the network's active members. */
export const visibleMeetups = (viewerId: Reader): Prisma.MeetupWhereInput => activeMemberOfNetwork(viewerId);
export const visibleVouches = (viewerId: Reader): Prisma.VouchWhereInput => activeMemberOfNetwork(viewerId);
export const visibleEndorsements = (viewerId: Reader): Prisma.SkillEndorsementWhereInput => activeMemberOfNetwork(viewerId);

/** `visibleMeetups` for one member whose membership in the meetup's network is known: what
 * subscriptions decide at delivery time, without a query per subscriber. */
export const meetupVisibleTo = (_meetup: unknown, _memberId: string, membership: { status: string } | null): boolean => membership?.status === 'ACTIVE';

/** An introduction concerns its connector and the two introduced; stewards see them too. */
export function visibleIntroductions(viewerId: Reader): Prisma.IntroductionWhereInput {
  if (!viewerId || isIntegration(viewerId)) return { id: { in: [] } };
  return {
    OR: [
      { connectorId: viewerId },
      { memberAId: viewerId },
      { memberBId: viewerId },
      { network: { memberships: { some: { memberId: viewerId, status: 'ACTIVE', role: 'STEWARD' } } } },
    ],
  };
}
