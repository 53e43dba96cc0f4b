/** Pure decisions about networks and memberships. */
import type { JoinPolicy, MembershipRole, MembershipStatus } from '../../domain.js';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MIN_LENGTH = 3;
export const SLUG_MAX_LENGTH = 50;

export type Refusal = { refused: 'CONFLICT' | 'FORBIDDEN'; message: string };

/** What joining does, given the network's policy and any earlier membership. */
export function decideJoin(policy: JoinPolicy, existing: MembershipStatus | null): { status: 'ACTIVE' | 'PENDING' } | Refusal {
  if (existing === 'ACTIVE') return { refused: 'CONFLICT', message: 'You are already a member of this network.' };
  if (existing === 'PENDING') return { refused: 'CONFLICT', message: 'Your request to join is waiting for approval.' };
  if (existing === 'REMOVED') return { refused: 'FORBIDDEN', message: 'You were removed from this network.' };
  switch (policy) {
    case 'OPEN':
      return { status: 'ACTIVE' };
    case 'APPROVAL':
      return { status: 'PENDING' };
    case 'INVITATION':
      return { refused: 'FORBIDDEN', message: 'This network admits members by invitation only.' };
  }
}

export type MembershipSnapshot = { status: MembershipStatus; role: MembershipRole };

/** Leaving ends an active membership or withdraws a pending request; the last steward
 * of a network with other members must hand over first. */
export function decideLeave(membership: MembershipSnapshot, otherActiveStewards: number, otherActiveMembers: number): null | Refusal {
  if (membership.status !== 'ACTIVE' && membership.status !== 'PENDING') {
    return { refused: 'CONFLICT', message: 'You are not a member of this network.' };
  }
  if (membership.status === 'ACTIVE' && membership.role === 'STEWARD' && otherActiveStewards === 0 && otherActiveMembers > 0) {
    return { refused: 'CONFLICT', message: 'You are the only steward: make another member a steward before leaving.' };
  }
  return null;
}

export const isActiveSteward = (m: MembershipSnapshot | null | undefined) => m?.status === 'ACTIVE' && m.role === 'STEWARD';
