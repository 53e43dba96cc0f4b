import type { ServiceDeps } from '../../deps.js';
import { uniqueViolationFields } from '../../db/errors.js';
import type { MembershipRole, MembershipStatus } from '../../domain.js';
import { DomainError, conflict, forbidden, notFound } from '../../errors.js';
import type { EventType } from '../../events/types.js';
import { type RecordActivity, type Tx, inTransaction } from '../../events/unit-of-work.js';
import type { Viewer } from '../accounts/service.js';
import type { CreateNetworkInput, JoinNetworkInput, LeaveNetworkInput, MembershipDecisionInput } from './inputs.js';
import { type Reader, visibleMemberships, visibleNetworks } from './policy.js';
import type { GovernanceService } from '../governance/service.js';
import { type Refusal, decideJoin, decideLeave, isActiveSteward } from './rules.js';

type MembershipRow = Awaited<ReturnType<Tx['membership']['update']>>;

const refusal = (r: Refusal) => new DomainError({ code: r.refused, message: r.message });

const membershipData = (m: MembershipRow) => ({
  membershipId: m.id,
  memberId: m.memberId,
  status: m.status,
  role: m.role,
});

/** Serialises changes to one network's memberships (the last-steward check needs it). */
async function lockNetwork(tx: Tx, networkId: string) {
  await tx.$executeRaw`SELECT 1 FROM "Network" WHERE id = ${networkId}::uuid FOR UPDATE`;
}

async function recordStatusChange(
  tx: Tx,
  record: RecordActivity,
  change: {
    membership: MembershipRow;
    from: MembershipStatus | null;
    reason: string;
    /** null when the network decided (a passed proposal). */
    actorId: string | null;
    type: EventType;
    data?: Record<string, unknown>;
  },
) {
  const { membership } = change;
  await tx.membershipChange.create({
    data: {
      membershipId: membership.id,
      kind: 'STATUS',
      fromValue: change.from,
      toValue: membership.status,
      reason: change.reason,
      actorId: change.actorId,
    },
  });
  await record({
    type: change.type,
    networkId: membership.networkId,
    actorId: change.actorId,
    subjectId: membership.id,
    data: { ...membershipData(membership), ...change.data },
  });
}

/** A decision of the network, applied inside the transaction that closes its proposal. */
export type Decision = { tx: Tx; record: RecordActivity; networkId: string; proposalId: string; title: string };

export type NetworksService = ReturnType<typeof createNetworksService>;

export function createNetworksService(deps: ServiceDeps, governance: () => GovernanceService) {
  const { db } = deps;

  /** The membership a steward decides on: NOT_FOUND when the viewer may not see it,
   * FORBIDDEN when they may see it but do not steward its network. */
  async function membershipForSteward(tx: Tx, viewer: Viewer, membershipId: string) {
    const membership = await tx.membership.findFirst({
      where: { id: membershipId, ...visibleMemberships(viewer.memberId) },
    });
    if (!membership) throw notFound('No such membership.', ['membershipId']);
    const own = await tx.membership.findUnique({
      where: { memberId_networkId: { memberId: viewer.memberId, networkId: membership.networkId } },
    });
    if (!isActiveSteward(own)) throw forbidden('Only stewards of this network can decide on memberships.');
    return membership;
  }

  /** Moves a PENDING membership on; a concurrent decision makes this one a CONFLICT. */
  async function decidePending(viewer: Viewer, input: MembershipDecisionInput, approve: boolean) {
    return inTransaction(deps, async (tx, record) => {
      const pending = await membershipForSteward(tx, viewer, input.membershipId);
      const now = deps.now();
      const { count } = await tx.membership.updateMany({
        where: { id: pending.id, status: 'PENDING' },
        data: approve ? { status: 'ACTIVE', joinedAt: now } : { status: 'REMOVED', endedAt: now },
      });
      if (count === 0) throw conflict('This membership is not waiting for approval.', ['membershipId']);
      const membership = await tx.membership.findUniqueOrThrow({ where: { id: pending.id } });
      await recordStatusChange(tx, record, {
        membership,
        from: 'PENDING',
        reason: approve ? 'Approved by a steward' : 'Request declined by a steward',
        actorId: viewer.memberId,
        type: approve ? 'membership.approved' : 'membership.declined',
      });
      return membership;
    });
  }

  return {
    /** The creator becomes an active steward at the top of the pyramid, and the network
     * gets its first decision-making rule. */
    async createNetwork(viewer: Viewer, input: CreateNetworkInput) {
      try {
        return await inTransaction(deps, async (tx, record) => {
          const now = deps.now();
          const network = await tx.network.create({
            data: {
              slug: input.slug,
              name: input.name,
              purpose: input.purpose,
              visibility: input.visibility,
              joinPolicy: input.joinPolicy,
              createdById: viewer.memberId,
            },
          });
          await governance().foundRules(tx, network.id, input);
          const membership = await tx.membership.create({
            data: {
              memberId: viewer.memberId,
              networkId: network.id,
              role: 'STEWARD',
              status: 'ACTIVE',
              engagementLevel: 'LEADING',
              joinedAt: now,
              changes: {
                create: [
                  { kind: 'STATUS', toValue: 'ACTIVE', reason: 'Created the network', actorId: viewer.memberId },
                  { kind: 'ROLE', toValue: 'STEWARD', reason: 'Created the network', actorId: viewer.memberId },
                  { kind: 'ENGAGEMENT_LEVEL', toValue: 'LEADING', reason: 'Created the network', actorId: viewer.memberId },
                ],
              },
            },
          });
          await record({ type: 'network.created', networkId: network.id, actorId: viewer.memberId, subjectId: network.id, data: { slug: network.slug } });
          await record({ type: 'membership.joined', networkId: network.id, actorId: viewer.memberId, subjectId: membership.id, data: membershipData(membership) });
          return network;
        });
      } catch (error) {
        if (uniqueViolationFields(error)?.includes('slug')) throw conflict('This slug is taken.', ['slug']);
        throw error;
      }
    },

    async join(viewer: Viewer, input: JoinNetworkInput) {
      const network = await db.network.findFirst({ where: { id: input.networkId, ...visibleNetworks(viewer.memberId) } });
      if (!network) throw notFound('No such network.', ['networkId']);
      try {
        return await inTransaction(deps, async (tx, record) => {
          const existing = await tx.membership.findUnique({
            where: { memberId_networkId: { memberId: viewer.memberId, networkId: network.id } },
          });
          const decision = decideJoin(network.joinPolicy, existing?.status ?? null);
          if ('refused' in decision) throw refusal(decision);
          const now = deps.now();
          const fields = {
            status: decision.status,
            role: 'MEMBER' as const,
            message: input.message ?? null,
            requestedAt: now,
            joinedAt: decision.status === 'ACTIVE' ? now : null,
            endedAt: null,
          };
          let membership: MembershipRow;
          if (existing) {
            const { count } = await tx.membership.updateMany({ where: { id: existing.id, status: existing.status }, data: fields });
            if (count === 0) throw conflict('Your membership changed meanwhile; try again.');
            membership = await tx.membership.findUniqueOrThrow({ where: { id: existing.id } });
          } else {
            membership = await tx.membership.create({ data: { ...fields, memberId: viewer.memberId, networkId: network.id } });
          }
          await recordStatusChange(tx, record, {
            membership,
            from: existing?.status ?? null,
            reason: decision.status === 'ACTIVE' ? 'Joined an open network' : 'Asked to join',
            actorId: viewer.memberId,
            type: decision.status === 'ACTIVE' ? 'membership.joined' : 'membership.requested',
          });
          return membership;
        });
      } catch (error) {
        // A concurrent join of the same member created the row first.
        if (uniqueViolationFields(error)) throw conflict('You already asked to join this network.', ['networkId']);
        throw error;
      }
    },

    async leave(viewer: Viewer, input: LeaveNetworkInput) {
      return inTransaction(deps, async (tx, record) => {
        await lockNetwork(tx, input.networkId);
        const current = await tx.membership.findUnique({
          where: { memberId_networkId: { memberId: viewer.memberId, networkId: input.networkId } },
        });
        if (!current) throw notFound('You are not a member of this network.', ['networkId']);
        const others = { networkId: input.networkId, status: 'ACTIVE' as const, NOT: { id: current.id } };
        const [stewards, members] = await Promise.all([
          tx.membership.count({ where: { ...others, role: 'STEWARD' } }),
          tx.membership.count({ where: others }),
        ]);
        const refused = decideLeave(current, stewards, members);
        if (refused) throw refusal(refused);
        const membership = await tx.membership.update({
          where: { id: current.id },
          data: { status: 'LEFT', endedAt: deps.now() },
        });
        await recordStatusChange(tx, record, {
          membership,
          from: current.status,
          reason: current.status === 'PENDING' ? 'Withdrew the request to join' : 'Left the network',
          actorId: viewer.memberId,
          type: 'membership.left',
        });
        return membership;
      });
    },

    // The lookups below take the caller's transaction when called inside one: on the
    // embedded database a query outside it would wait for the transaction to end.

    async isActiveMember(memberId: string, networkId: string, client: Tx = db) {
      const membership = await client.membership.findUnique({ where: { memberId_networkId: { memberId, networkId } } });
      return membership?.status === 'ACTIVE';
    },

    findVisibleMembership: (viewerId: Reader, id: string, client: Tx = db) =>
      client.membership.findFirst({ where: { id, ...visibleMemberships(viewerId) } }),

    /** The memberships of these members in the network that the viewer may see. (Both
     * filters apply: an integration's own network id must not replace the one asked for.) */
    findMembershipsVisibleTo: (viewerId: Reader, memberIds: readonly string[], networkId: string) =>
      db.membership.findMany({ where: { AND: [{ memberId: { in: [...memberIds] }, networkId }, visibleMemberships(viewerId)] } }),

    findVisibleBySlug: (viewerId: Reader, slug: string) => db.network.findFirst({ where: { slug, ...visibleNetworks(viewerId) } }),

    findVisibleNetwork: (viewerId: Reader, id: string, client: Tx = db) =>
      client.network.findFirst({ where: { id, ...visibleNetworks(viewerId) } }),

    activeMemberships: (networkId: string) =>
      db.membership.findMany({ where: { networkId, status: 'ACTIVE' }, orderBy: { id: 'asc' } }),

    /** Whether the viewer is an active steward of the network. */
    async isSteward(memberId: string, networkId: string, client: Tx = db) {
      return isActiveSteward(await client.membership.findUnique({ where: { memberId_networkId: { memberId, networkId } } }));
    },

    /** A member's memberships (any status) in the given networks. */
    /** A membership by id, with what `query` (a Prisma select or include) reads of it;
     * concurrent calls with the same query are batched into one statement by Prisma. */
    findMembership: (id: string, query: object = {}) => db.membership.findUniqueOrThrow({ ...query, where: { id } }),

    /** A member's membership in a network (any status), with what `query` reads of it. */
    membershipOf: (memberId: string, networkId: string, query: object = {}) =>
      db.membership.findUnique({ ...query, where: { memberId_networkId: { memberId, networkId } } }),

    /** Memberships by id, with what `query` reads of them, in no particular order. */
    findMemberships: (ids: readonly string[], query: object = {}) => db.membership.findMany({ ...query, where: { id: { in: [...ids] } } }),

    membershipsIn: (memberId: string, networkIds: readonly string[]) =>
      db.membership.findMany({ where: { memberId, networkId: { in: [...networkIds] } } }),

    /** Admits a pending member by the network's decision. Returns what it did. */
    async admitByDecision(d: Decision, memberId: string): Promise<string> {
      const m = await d.tx.membership.findUnique({ where: { memberId_networkId: { memberId, networkId: d.networkId } } });
      if (m?.status !== 'PENDING') return 'Nothing to do: the member was no longer waiting to join.';
      const membership = await d.tx.membership.update({ where: { id: m.id }, data: { status: 'ACTIVE', joinedAt: deps.now() } });
      await recordStatusChange(d.tx, d.record, {
        membership,
        from: 'PENDING',
        reason: `Admitted by proposal "${d.title}"`,
        actorId: null,
        type: 'membership.approved',
        data: { proposalId: d.proposalId },
      });
      return 'The member was admitted.';
    },

    /** Removes an active member by the network's decision. */
    async removeByDecision(d: Decision, memberId: string): Promise<string> {
      const m = await d.tx.membership.findUnique({ where: { memberId_networkId: { memberId, networkId: d.networkId } } });
      if (m?.status !== 'ACTIVE') return 'Nothing to do: the member had already left.';
      const membership = await d.tx.membership.update({ where: { id: m.id }, data: { status: 'REMOVED', endedAt: deps.now() } });
      await recordStatusChange(d.tx, d.record, {
        membership,
        from: 'ACTIVE',
        reason: `Removed by proposal "${d.title}"`,
        actorId: null,
        type: 'membership.removed',
        data: { proposalId: d.proposalId },
      });
      return 'The member was removed.';
    },

    /** Gives an active member another role by the network's decision. */
    async changeRoleByDecision(d: Decision, memberId: string, role: MembershipRole): Promise<string> {
      const m = await d.tx.membership.findUnique({ where: { memberId_networkId: { memberId, networkId: d.networkId } } });
      if (m?.status !== 'ACTIVE') return 'Nothing to do: the member is no longer active.';
      if (m.role === role) return `Nothing to do: the member already was ${role}.`;
      const membership = await d.tx.membership.update({ where: { id: m.id }, data: { role } });
      await d.tx.membershipChange.create({
        data: { membershipId: m.id, kind: 'ROLE', fromValue: m.role, toValue: role, reason: `Changed by proposal "${d.title}"` },
      });
      await d.record({
        type: 'membership.role_changed',
        networkId: d.networkId,
        subjectId: m.id,
        data: { ...membershipData(membership), from: m.role, proposalId: d.proposalId },
      });
      return `The member is now ${role}.`;
    },

    /** Replaces the network's purpose statement by its decision. */
    async updatePurposeByDecision(d: Decision, purpose: string): Promise<string> {
      await d.tx.network.update({ where: { id: d.networkId }, data: { purpose } });
      await d.record({ type: 'network.purpose_updated', networkId: d.networkId, subjectId: d.networkId, data: { proposalId: d.proposalId } });
      return 'The purpose was updated.';
    },

    approve: (viewer: Viewer, input: MembershipDecisionInput) => decidePending(viewer, input, true),
    decline: (viewer: Viewer, input: MembershipDecisionInput) => decidePending(viewer, input, false),
  };
}
