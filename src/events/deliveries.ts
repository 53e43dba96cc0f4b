import DataLoader from 'dataloader';
import type { Db } from '../db/database.js';
import type { Exchange, Goal, Listing, Meetup, Membership, MembershipRole, MembershipStatus, Proposal, Rule } from '../db/generated/prisma/client.js';

export type MembershipState = { status: MembershipStatus; role: MembershipRole };

type SubjectModel = 'exchange' | 'listing' | 'membership' | 'meetup' | 'proposal' | 'rule' | 'goal';

function readSubject(db: Db, { model, id, query }: { model: SubjectModel; id: string; query: object }): Promise<unknown> {
  const args = { ...query, where: { id } };
  if (model === 'exchange') return db.exchange.findUnique(args);
  if (model === 'listing') return db.listing.findUnique(args);
  if (model === 'meetup') return db.meetup.findUnique(args);
  if (model === 'proposal') return db.proposal.findUnique(args);
  if (model === 'rule') return db.rule.findUnique(args);
  if (model === 'goal') return db.goal.findUnique(args);
  return db.membership.findUnique(args);
}

/**
 * What subscriptions read when an event reaches them, batched across every subscriber the
 * event wakes on this instance: one query for all their memberships in the network and
 * one for the event's subject, instead of a query or two per subscriber. Nothing is
 * cached: each event is checked against the database as it is when the event arrives.
 */
export function createDeliveryReads(db: Db) {
  // The subscribers of one event resume over several turns of the event loop; waiting
  // for the next macrotask lets one batch take them all.
  const batchScheduleFn = (run: () => void) => void setImmediate(run);

  const memberships = new DataLoader<{ memberId: string; networkId: string }, MembershipState | null, string>(
    async (keys) => {
      const found = new Map<string, MembershipState>();
      for (const networkId of new Set(keys.map((key) => key.networkId))) {
        const memberIds = [...new Set(keys.filter((key) => key.networkId === networkId).map((key) => key.memberId))];
        const rows = await db.membership.findMany({ where: { networkId, memberId: { in: memberIds } }, select: { memberId: true, status: true, role: true } });
        for (const row of rows) found.set(`${networkId}:${row.memberId}`, { status: row.status, role: row.role });
      }
      return keys.map((key) => found.get(`${key.networkId}:${key.memberId}`) ?? null);
    },
    { cache: false, batchScheduleFn },
  );

  // The subject of an event (an exchange, listing, membership, meetup, proposal, rule or
  // goal), with what each subscriber's document selects of it: one query per distinct
  // selection (subscribers asking the same document share it), with plugin-prisma's nested
  // selections folded in.
  const subjects = new DataLoader<{ model: SubjectModel; id: string; query: object }, unknown, string>(
    async (keys) => {
      const distinct = new Map<string, Promise<unknown>>();
      return Promise.all(
        keys.map((key) => {
          const shape = `${key.model}:${key.id}:${JSON.stringify(key.query)}`;
          if (!distinct.has(shape)) distinct.set(shape, readSubject(db, key));
          return distinct.get(shape)!;
        }),
      );
    },
    { cache: false, batchScheduleFn },
  );

  return {
    /** A member's membership in a network (any status), or null. */
    membership: (memberId: string, networkId: string) => memberships.load({ memberId, networkId }),
    /** An exchange with what `query` selects of it, or null. */
    exchange: (id: string, query: object = {}) => subjects.load({ model: 'exchange', id, query }) as Promise<Exchange | null>,
    /** A listing with what `query` selects of it, or null. */
    listing: (id: string, query: object = {}) => subjects.load({ model: 'listing', id, query }) as Promise<Listing | null>,
    /** A meetup with what `query` selects of it, or null. */
    meetup: (id: string, query: object = {}) => subjects.load({ model: 'meetup', id, query }) as Promise<Meetup | null>,
    /** A proposal, rule or goal with what `query` selects of it, or null. */
    proposal: (id: string, query: object = {}) => subjects.load({ model: 'proposal', id, query }) as Promise<Proposal | null>,
    rule: (id: string, query: object = {}) => subjects.load({ model: 'rule', id, query }) as Promise<Rule | null>,
    goal: (id: string, query: object = {}) => subjects.load({ model: 'goal', id, query }) as Promise<Goal | null>,
    /** A membership by id with what `query` selects of it, or null. */
    membershipById: (id: string, query: object = {}) => subjects.load({ model: 'membership', id, query }) as Promise<Membership | null>,
  };
}

export type DeliveryReads = ReturnType<typeof createDeliveryReads>;
