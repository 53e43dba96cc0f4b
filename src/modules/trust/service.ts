import type { ServiceDeps } from '../../deps.js';
import type { Exchange, Membership, Prisma, Tie } from '../../db/generated/prisma/client.js';
import type { EngagementLevel } from '../../domain.js';
import { type RecordActivity, type Tx, inTransaction } from '../../events/unit-of-work.js';
import type { TieSignal } from '../listings/rules.js';
import type { Decision, NetworksService } from '../networks/service.js';
import { clusters, connectors, type ConnectorScore } from './graph.js';
import {
  STRONG_TIE_THRESHOLD,
  type EngagementSignals,
  type Thresholds,
  type TrustSignals,
  baseTieStrength,
  classifyTie,
  decayedStrength,
  engagementRank,
  isCooling,
  orderedPair,
  suggestedEngagement,
  thresholdsOf,
  trustChangeReason,
  trustLevel,
} from './rules.js';

const DAY_MS = 24 * 3600 * 1000;
/** Graph results are reused while the ties are unchanged, and at most this long (decay). */
const GRAPH_CACHE_MS = 60 * 60 * 1000;
const GRAPH_CACHE_NETWORKS = 50;
/** Trust levels of vouchees follow their vouchers' changes this many steps deep. */
const TRUST_CASCADE_DEPTH = 5;

export type TieChange = {
  meetups?: number;
  /** The giver of a completed exchange. */
  exchangeFrom?: string;
  /** A vouch given or withdrawn. */
  vouch?: { from: string; active: boolean };
  introductions?: number;
};

/** A tie as one member sees it: the other member and the decayed strength now. */
export type TieView = Tie & { otherId: string; current: number; exchangesGiven: number; exchangesReceived: number; vouched: boolean };

function viewFrom(tie: Tie, memberId: string, now: Date): TieView {
  const isA = tie.memberAId === memberId;
  return {
    ...tie,
    otherId: isA ? tie.memberBId : tie.memberAId,
    current: decayedStrength(tie.strength, tie.lastInteractionAt, now),
    exchangesGiven: isA ? tie.exchangesAToB : tie.exchangesBToA,
    exchangesReceived: isA ? tie.exchangesBToA : tie.exchangesAToB,
    vouched: tie.vouchAToB || tie.vouchBToA,
  };
}

type GraphEntry = {
  version: string;
  computedAt: number;
  clusters: Map<string, number>;
  ties: { a: string; b: string; strength: number }[];
  connectors?: { ranked: ConnectorScore[]; exact: boolean };
};

export type TrustService = ReturnType<typeof createTrustService>;

export function createTrustService(deps: ServiceDeps, networks: NetworksService) {
  const { db } = deps;
  const graphCache = new Map<string, GraphEntry>();

  /** Adds to a pair's tie atomically and re-derives its strength, in the caller's transaction. */
  async function touchTie(tx: Tx, networkId: string, x: string, y: string, change: TieChange, at: Date) {
    const [a, b] = orderedPair(x, y);
    const aToB = change.exchangeFrom === a ? 1 : 0;
    const bToA = change.exchangeFrom === b ? 1 : 0;
    const vouchA = change.vouch?.from === a ? change.vouch.active : null;
    const vouchB = change.vouch?.from === b ? change.vouch.active : null;
    const [row] = await tx.$queryRaw<Tie[]>`
      INSERT INTO "Tie" ("networkId", "memberAId", "memberBId", "meetupsTogether", "exchangesAToB", "exchangesBToA",
                         "vouchAToB", "vouchBToA", "introductionsAccepted", "firstInteractionAt", "lastInteractionAt", "updatedAt")
      VALUES (${networkId}::uuid, ${a}::uuid, ${b}::uuid, ${change.meetups ?? 0}, ${aToB}, ${bToA},
              ${vouchA ?? false}, ${vouchB ?? false}, ${change.introductions ?? 0}, ${at}, ${at}, now())
      ON CONFLICT ("networkId", "memberAId", "memberBId") DO UPDATE SET
        "meetupsTogether" = "Tie"."meetupsTogether" + EXCLUDED."meetupsTogether",
        "exchangesAToB" = "Tie"."exchangesAToB" + EXCLUDED."exchangesAToB",
        "exchangesBToA" = "Tie"."exchangesBToA" + EXCLUDED."exchangesBToA",
        "vouchAToB" = COALESCE(${vouchA}::boolean, "Tie"."vouchAToB"),
        "vouchBToA" = COALESCE(${vouchB}::boolean, "Tie"."vouchBToA"),
        "introductionsAccepted" = "Tie"."introductionsAccepted" + EXCLUDED."introductionsAccepted",
        "lastInteractionAt" = GREATEST("Tie"."lastInteractionAt", EXCLUDED."lastInteractionAt"),
        "updatedAt" = now()
      RETURNING *`;
    await tx.tie.update({
      where: { networkId_memberAId_memberBId: { networkId, memberAId: a, memberBId: b } },
      data: { strength: baseTieStrength(row!) },
    });
  }

  /** Introductions of the pair get their outcome recorded the first time it happens. */
  async function markIntroductions(tx: Tx, networkId: string, x: string, y: string, outcome: 'metAt' | 'exchangedAt', at: Date) {
    await tx.introduction.updateMany({
      where: {
        networkId,
        [outcome]: null,
        createdAt: { lte: at },
        OR: [
          { memberAId: x, memberBId: y },
          { memberAId: y, memberBId: x },
        ],
      },
      data: { [outcome]: at },
    });
  }

  async function trustSignals(tx: Tx, membership: Membership, now: Date): Promise<TrustSignals> {
    const { networkId, memberId } = membership;
    const confirmed = { networkId, status: 'COMPLETED' as const, giverConfirmedAt: { not: null }, receiverConfirmedAt: { not: null } };
    const [meetupsAttended, distinctMembersMet, given, received, vouches] = await Promise.all([
      tx.attendance.count({ where: { memberId, meetup: { networkId } } }),
      tx.tie.count({ where: { networkId, meetupsTogether: { gt: 0 }, OR: [{ memberAId: memberId }, { memberBId: memberId }] } }),
      tx.exchange.count({ where: { ...confirmed, giverId: memberId } }),
      tx.exchange.count({ where: { ...confirmed, receiverId: memberId } }),
      tx.vouch.count({
        where: {
          networkId,
          voucheeId: memberId,
          revokedAt: null,
          voucher: { memberships: { some: { networkId, status: 'ACTIVE', OR: [{ trustLevel: { gte: 2 } }, { role: 'STEWARD' }] } } },
        },
      }),
    ]);
    const tenureDays = membership.joinedAt ? Math.floor((now.getTime() - membership.joinedAt.getTime()) / DAY_MS) : 0;
    return {
      meetupsAttended,
      distinctMembersMet,
      confirmedExchangesGiven: given,
      confirmedExchangesReceived: received,
      vouchesFromTrusted: vouches,
      tenureDays,
    };
  }

  /**
   * Recomputes the trust levels of these members, recording each change (with its reason)
   * and following vouches: when a voucher crosses level 2, their vouchees are recomputed.
   */
  async function recomputeTrust(tx: Tx, record: RecordActivity, networkId: string, memberIds: string[]) {
    const network = await tx.network.findUniqueOrThrow({ where: { id: networkId }, select: { trustThresholds: true } });
    const thresholds = thresholdsOf(network.trustThresholds);
    const now = deps.now();
    const seen = new Set<string>();
    let queue = [...new Set(memberIds)];
    for (let depth = 0; queue.length && depth <= TRUST_CASCADE_DEPTH; depth++) {
      const next: string[] = [];
      for (const memberId of queue) {
        if (seen.has(memberId)) continue;
        seen.add(memberId);
        const membership = await tx.membership.findUnique({ where: { memberId_networkId: { memberId, networkId } } });
        if (membership?.status !== 'ACTIVE') continue;
        const signals = await trustSignals(tx, membership, now);
        const { level } = trustLevel(signals, thresholds);
        if (level === membership.trustLevel) continue;
        const reason = trustChangeReason(membership.trustLevel, level, signals, thresholds);
        const updated = await tx.membership.update({ where: { id: membership.id }, data: { trustLevel: level } });
        await tx.membershipChange.create({
          data: { membershipId: membership.id, kind: 'TRUST_LEVEL', fromValue: String(membership.trustLevel), toValue: String(level), reason },
        });
        await record({
          type: 'membership.trust_level_changed',
          networkId,
          subjectId: membership.id,
          data: { membershipId: membership.id, memberId, from: membership.trustLevel, to: level, reason, role: updated.role, status: updated.status },
        });
        if ((membership.trustLevel >= 2) !== (level >= 2)) {
          const vouchees = await tx.vouch.findMany({ where: { networkId, voucherId: memberId, revokedAt: null }, select: { voucheeId: true } });
          next.push(...vouchees.map((v) => v.voucheeId));
        }
      }
      queue = next;
    }
  }

  /** The graph of a network's current ties, with clusters, reused while nothing changed. */
  async function graphOf(networkId: string): Promise<GraphEntry> {
    const stats = await db.tie.aggregate({ where: { networkId }, _count: true, _max: { updatedAt: true } });
    const outcomes = await db.introduction.aggregate({ where: { networkId }, _max: { exchangedAt: true } });
    const version = `${stats._count}:${stats._max.updatedAt?.getTime() ?? 0}:${outcomes._max.exchangedAt?.getTime() ?? 0}`;
    const cached = graphCache.get(networkId);
    if (cached && cached.version === version && Date.now() - cached.computedAt < GRAPH_CACHE_MS) return cached;
    const now = deps.now();
    const [rows, members] = await Promise.all([
      db.tie.findMany({ where: { networkId } }),
      db.membership.findMany({ where: { networkId, status: 'ACTIVE' }, select: { memberId: true } }),
    ]);
    const active = new Set(members.map((m) => m.memberId));
    const ties = rows
      .filter((t) => active.has(t.memberAId) && active.has(t.memberBId))
      .map((t) => ({ a: t.memberAId, b: t.memberBId, strength: decayedStrength(t.strength, t.lastInteractionAt, now) }));
    const entry: GraphEntry = { version, computedAt: Date.now(), ties, clusters: clusters([...active], ties) };
    graphCache.delete(networkId);
    graphCache.set(networkId, entry);
    if (graphCache.size > GRAPH_CACHE_NETWORKS) graphCache.delete(graphCache.keys().next().value!);
    return entry;
  }

  async function engagementSignals(networkId: string, memberIds: string[]): Promise<Map<string, EngagementSignals>> {
    const inNetwork = { networkId };
    const count = <K extends string>(rows: ({ _count: number } & Record<K, string | null>)[], key: K) =>
      new Map(rows.map((r) => [r[key] as string, r._count]));
    const ids = { in: memberIds };
    const [rsvps, votes, listings, vouches, endorsements, given, received, organized, adopted] = await Promise.all([
      db.rsvp.groupBy({ by: ['memberId'], where: { memberId: ids, meetup: inNetwork }, _count: true }),
      db.ballot.groupBy({ by: ['memberId'], where: { memberId: ids, choice: { not: null }, proposal: inNetwork }, _count: true }),
      db.listing.groupBy({ by: ['authorId'], where: { authorId: ids, ...inNetwork }, _count: true }),
      db.vouch.groupBy({ by: ['voucherId'], where: { voucherId: ids, ...inNetwork }, _count: true }),
      db.skillEndorsement.groupBy({ by: ['endorserId'], where: { endorserId: ids, ...inNetwork }, _count: true }),
      db.exchange.groupBy({ by: ['giverId'], where: { giverId: ids, ...inNetwork, status: 'COMPLETED' }, _count: true }),
      db.exchange.groupBy({ by: ['receiverId'], where: { receiverId: ids, ...inNetwork, status: 'COMPLETED' }, _count: true }),
      db.meetup.groupBy({ by: ['organizerId'], where: { organizerId: ids, ...inNetwork }, _count: true }),
      db.proposal.groupBy({ by: ['proposerId'], where: { proposerId: ids, ...inNetwork, status: 'PASSED' }, _count: true }),
    ]);
    const maps = {
      rsvps: count(rsvps, 'memberId'),
      votes: count(votes, 'memberId'),
      listings: count(listings, 'authorId'),
      vouches: count(vouches, 'voucherId'),
      endorsements: count(endorsements, 'endorserId'),
      given: count(given, 'giverId'),
      received: count(received, 'receiverId'),
      organized: count(organized, 'organizerId'),
      adopted: count(adopted, 'proposerId'),
    };
    return new Map(
      memberIds.map((id) => [
        id,
        {
          rsvps: maps.rsvps.get(id) ?? 0,
          votes: maps.votes.get(id) ?? 0,
          listings: maps.listings.get(id) ?? 0,
          vouchesGiven: maps.vouches.get(id) ?? 0,
          endorsementsGiven: maps.endorsements.get(id) ?? 0,
          exchangesCompleted: (maps.given.get(id) ?? 0) + (maps.received.get(id) ?? 0),
          meetupsOrganized: maps.organized.get(id) ?? 0,
          adoptedProposals: maps.adopted.get(id) ?? 0,
        },
      ]),
    );
  }

  /** Behaviour's suggested engagement level per member. */
  async function suggestedLevels(networkId: string, memberIds: string[]) {
    const signals = await engagementSignals(networkId, memberIds);
    return new Map(memberIds.map((id) => [id, suggestedEngagement(signals.get(id)!)]));
  }

  /** Tenure grows with time alone, so every active member is recomputed daily. */
  async function recomputeNetwork(networkId: string) {
    const members = await db.membership.findMany({ where: { networkId, status: 'ACTIVE' }, select: { memberId: true } });
    for (let i = 0; i < members.length; i += 100) {
      const batch = members.slice(i, i + 100).map((m) => m.memberId);
      await inTransaction(deps, (tx, record) => recomputeTrust(tx, record, networkId, batch));
    }
  }

  return {
    touchTie,
    recomputeTrust,
    suggestedLevels,

    /** New attendees met everyone else who attended: ties, introduction outcomes, trust. */
    async attended(tx: Tx, record: RecordActivity, meetup: { id: string; networkId: string }, newAttendees: string[]) {
      const all = (await tx.attendance.findMany({ where: { meetupId: meetup.id }, select: { memberId: true } })).map((a) => a.memberId);
      const now = deps.now();
      const fresh = new Set(newAttendees);
      for (const x of newAttendees) {
        for (const y of all) {
          // Each new pair once: with earlier attendees, and among the new ones in one order.
          if (y === x || (fresh.has(y) && y < x)) continue;
          await touchTie(tx, meetup.networkId, x, y, { meetups: 1 }, now);
          await markIntroductions(tx, meetup.networkId, x, y, 'metAt', now);
        }
      }
      await recomputeTrust(tx, record, meetup.networkId, all);
    },

    /** A completed exchange strengthens the tie between giver and receiver. */
    async exchangeCompleted(tx: Tx, exchange: Exchange) {
      const now = deps.now();
      await touchTie(tx, exchange.networkId, exchange.giverId, exchange.receiverId, { exchangeFrom: exchange.giverId }, now);
      await markIntroductions(tx, exchange.networkId, exchange.giverId, exchange.receiverId, 'exchangedAt', now);
    },

    /** Confirmed exchanges count toward both sides' trust. */
    async exchangeConfirmed(tx: Tx, record: RecordActivity, exchange: Exchange) {
      if (exchange.giverConfirmedAt && exchange.receiverConfirmedAt) {
        await recomputeTrust(tx, record, exchange.networkId, [exchange.giverId, exchange.receiverId]);
      }
    },

    /** A passed SET_TRUST_THRESHOLDS proposal: new minimums for one level, then every
     * active member's level is recomputed against them. */
    async thresholdsChanged(d: Decision, level: 1 | 2 | 3, minimums: Partial<Thresholds>): Promise<string> {
      const network = await d.tx.network.findUniqueOrThrow({ where: { id: d.networkId } });
      const current = thresholdsOf(network.trustThresholds);
      const next = { ...current, [level]: { ...current[level], ...minimums } };
      await d.tx.network.update({ where: { id: d.networkId }, data: { trustThresholds: next as unknown as Prisma.InputJsonValue } });
      await d.record({ type: 'network.trust_thresholds_changed', networkId: d.networkId, subjectId: d.networkId, data: { level, proposalId: d.proposalId } });
      const members = await d.tx.membership.findMany({ where: { networkId: d.networkId, status: 'ACTIVE' }, select: { memberId: true } });
      await recomputeTrust(d.tx, d.record, d.networkId, members.map((m) => m.memberId));
      return `Trust level ${level} thresholds changed.`;
    },

    recomputeNetwork,

    /** Job: every network's members, recomputed. */
    async recomputeAll() {
      for (const { id } of await db.network.findMany({ select: { id: true } })) await recomputeNetwork(id);
    },

    thresholds: async (networkId: string) =>
      thresholdsOf((await db.network.findUniqueOrThrow({ where: { id: networkId } })).trustThresholds),

    /** Each of these members' ties in a network, strongest first (decayed to now), read
     * together. Only the member and the network's stewards see them; others get none. */
    async tiesOf(viewerId: string | null, networkId: string, memberIds: readonly string[], first: number): Promise<Map<string, TieView[]>> {
      const result = new Map<string, TieView[]>(memberIds.map((id) => [id, []]));
      if (!viewerId) return result;
      const steward = memberIds.some((id) => id !== viewerId) && (await networks.isSteward(viewerId, networkId));
      const visible = new Set(memberIds.filter((id) => id === viewerId || steward));
      if (!visible.size) return result;
      const now = deps.now();
      const rows = await db.tie.findMany({
        where: { networkId, OR: [{ memberAId: { in: [...visible] } }, { memberBId: { in: [...visible] } }] },
      });
      for (const tie of rows) {
        for (const memberId of [tie.memberAId, tie.memberBId]) if (visible.has(memberId)) result.get(memberId)!.push(viewFrom(tie, memberId, now));
      }
      const limit = Math.max(0, Math.min(first, 100));
      for (const [memberId, ties] of result) {
        result.set(memberId, ties.sort((x, y) => y.current - x.current || (x.otherId < y.otherId ? -1 : 1)).slice(0, limit));
      }
      return result;
    },

    /** For stewards: the mix of engagement levels and ties, who is ready to move up, and
     * which strong ties are cooling. */
    async portfolio(networkId: string, coolingAfterDays: number) {
      const now = deps.now();
      const members = await db.membership.findMany({ where: { networkId, status: 'ACTIVE' } });
      const suggested = await suggestedLevels(networkId, members.map((m) => m.memberId));
      const ties = await db.tie.findMany({ where: { networkId } });
      const counts = { STRONG: 0, WEAK: 0, FADED: 0 };
      for (const tie of ties) counts[classifyTie(decayedStrength(tie.strength, tie.lastInteractionAt, now))] += 1;
      return {
        levels: members.reduce(
          (acc, m) => acc.set(m.engagementLevel, (acc.get(m.engagementLevel) ?? 0) + 1),
          new Map<EngagementLevel, number>(),
        ),
        strongTies: counts.STRONG,
        weakTies: counts.WEAK,
        readyToMoveUp: members
          .map((membership) => ({ membership, ...suggested.get(membership.memberId)! }))
          .filter((m) => engagementRank(m.level) > engagementRank(m.membership.engagementLevel)),
        coolingTies: ties
          .filter((t) => isCooling(t.strength, t.lastInteractionAt, now, coolingAfterDays))
          .sort((x, y) => x.lastInteractionAt.getTime() - y.lastInteractionAt.getTime()),
      };
    },

    /** For stewards: members as nodes with their cluster, and ties at or above `minStrength`. */
    async map(networkId: string, minStrength: number) {
      const graph = await graphOf(networkId);
      return {
        computedAt: new Date(graph.computedAt),
        clusters: graph.clusters,
        edges: graph.ties.filter((t) => t.strength >= minStrength),
      };
    },

    /** For stewards: members who bridge clusters, best first. */
    async connectors(networkId: string, first: number) {
      const graph = await graphOf(networkId);
      if (!graph.connectors) {
        const outcomes = await db.introduction.groupBy({
          by: ['connectorId'],
          where: { networkId, exchangedAt: { not: null } },
          _count: true,
        });
        const introductions = new Map(outcomes.map((o) => [o.connectorId, o._count]));
        graph.connectors = connectors(graph.ties, graph.clusters, introductions);
      }
      return { ...graph.connectors, ranked: graph.connectors.ranked.slice(0, Math.max(0, Math.min(first, 100))) };
    },

    /**
     * For matching: how close each candidate author is to a listing's author in the tie
     * graph. A direct tie counts by its strength; two steps through a strong tie, or a
     * tie into another cluster (where new opportunities come from), count as named.
     */
    async tieSignals(fromMemberId: string, networkId: string, toMemberIds: string[]): Promise<Map<string, TieSignal>> {
      const graph = await graphOf(networkId);
      const neighbours = new Map<string, Map<string, number>>();
      for (const t of graph.ties) {
        if (!neighbours.has(t.a)) neighbours.set(t.a, new Map());
        if (!neighbours.has(t.b)) neighbours.set(t.b, new Map());
        neighbours.get(t.a)!.set(t.b, t.strength);
        neighbours.get(t.b)!.set(t.a, t.strength);
      }
      const own = neighbours.get(fromMemberId) ?? new Map<string, number>();
      const ownCluster = graph.clusters.get(fromMemberId);
      const result = new Map<string, TieSignal>();
      for (const to of toMemberIds) {
        const direct = own.get(to);
        if (direct !== undefined && direct >= STRONG_TIE_THRESHOLD) {
          result.set(to, { closeness: direct, reason: 'A strong tie of the author' });
          continue;
        }
        const via = [...own.entries()].find(([m, s]) => s >= STRONG_TIE_THRESHOLD && neighbours.get(m)?.has(to));
        if (via) {
          result.set(to, { closeness: 0.6, reason: 'Two steps away through a strong tie' });
          continue;
        }
        const theirCluster = graph.clusters.get(to);
        if (ownCluster !== undefined && theirCluster !== undefined && theirCluster !== ownCluster && neighbours.has(to)) {
          result.set(to, { closeness: 0.5, reason: 'From another cluster of the network: a bridge to new opportunities' });
          continue;
        }
        if (direct !== undefined) result.set(to, { closeness: direct, reason: 'A weak tie of the author' });
      }
      return result;
    },
  };
}
