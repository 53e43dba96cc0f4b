/**
 * A lived-in network for the benchmarks: members with skills, asks and offers, exchanges
 * in every state and both visibilities, written straight through Prisma (no GraphQL, no
 * rate limits) so that thousands of rows take seconds.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../src/db/database.js';

const KINDS = ['ATTENTION', 'KNOWLEDGE', 'SKILLS', 'CONNECTIONS', 'RESOURCES'] as const;
const STATUSES = ['PROPOSED', 'ACCEPTED', 'COMPLETED', 'COMPLETED', 'COMPLETED', 'DECLINED', 'CANCELLED'] as const;
const SKILLS = ['gardening', 'bike repair', 'carpentry', 'cooking', 'tutoring', 'translation', 'accounting', 'first aid'];

export type Sizes = { members: number; listings: number; exchanges: number };
export type BenchNetwork = { networkId: string; slug: string; memberIds: string[]; stewardId: string };

/** A seeded pseudo-random generator, so two runs build the same shapes. */
export function random(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

/** A version 7 UUID for the moment `ms` (as the schema's ids are): ordering by id is
 * ordering by creation, as in a real database. */
export function uuid7(ms = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

async function chunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 5000) await insert(rows.slice(i, i + 5000));
}

/** One PUBLIC, OPEN network of `sizes.members` active members (the first a steward). */
export async function benchNetwork(db: Db, label: string, sizes: Sizes, seed = 1): Promise<BenchNetwork> {
  const rnd = random(seed);
  const networkId = uuid7();
  const slug = `bench-${label}`;
  const started = Date.now() - 365 * 24 * 3600 * 1000;
  const at = (i: number, n: number) => new Date(started + Math.floor((i / n) * 364 * 24 * 3600 * 1000));
  const memberIds = Array.from({ length: sizes.members }, (_, i) => uuid7(at(i, sizes.members).getTime()));
  await chunked(
    memberIds.map((id, i) => ({ id, i })),
    (chunk) =>
      db.member.createMany({
        data: chunk.map(({ id, i }) => ({
          id,
          email: `${label}-${i}@bench.example.org`,
          handle: `${label.replace(/\W/g, '_')}_${i}`,
          displayName: `Member ${i} of ${label}`,
          skills: [rnd.pick(SKILLS), rnd.pick(SKILLS)],
          passwordHash: 'not a hash: these members never log in',
        })),
      }),
  );
  await db.network.create({
    data: { id: networkId, slug, name: `Bench ${label}`, purpose: 'Measured, not lived in.', visibility: 'PUBLIC', joinPolicy: 'OPEN', createdById: memberIds[0]! },
  });
  await chunked(
    memberIds.map((memberId, i) => ({ memberId, i })),
    (chunk) =>
      db.membership.createMany({
        data: chunk.map(({ memberId, i }) => ({
          id: uuid7(at(i, sizes.members).getTime()),
          memberId,
          networkId,
          status: 'ACTIVE' as const,
          role: i === 0 ? ('STEWARD' as const) : ('MEMBER' as const),
          engagementLevel: i === 0 ? ('LEADING' as const) : rnd.pick(['OBSERVING', 'FOLLOWING', 'CONTRIBUTING'] as const),
          requestedAt: at(i, sizes.members),
          joinedAt: at(i, sizes.members),
        })),
      }),
  );
  await chunked(
    Array.from({ length: sizes.listings }, (_, i) => i),
    (chunk) =>
      db.listing.createMany({
        data: chunk.map((i) => {
          return {
            id: uuid7(at(i, sizes.listings).getTime()),
            networkId,
            authorId: rnd.pick(memberIds),
            type: i % 2 ? ('OFFER' as const) : ('ASK' as const),
            kind: rnd.pick(KINDS),
            title: `${i % 2 ? 'Offer' : 'Ask'} ${i}`,
            tags: [rnd.pick(SKILLS).replace(' ', '-')],
            status: rnd.next() < 0.7 ? ('OPEN' as const) : ('FULFILLED' as const),
            createdAt: at(i, sizes.listings),
          };
        }),
      }),
  );
  await chunked(
    Array.from({ length: sizes.exchanges }, (_, i) => i),
    (chunk) =>
      db.exchange.createMany({
        data: chunk.map((i) => {
          const giverId = rnd.pick(memberIds);
          let receiverId = rnd.pick(memberIds);
          if (receiverId === giverId) receiverId = memberIds[(memberIds.indexOf(giverId) + 1) % memberIds.length]!;
          const status = rnd.pick(STATUSES);
          return {
            id: uuid7(at(i, sizes.exchanges).getTime()),
            networkId,
            giverId,
            receiverId,
            proposerId: rnd.next() < 0.5 ? giverId : receiverId,
            kind: rnd.pick(KINDS),
            status,
            visibility: rnd.next() < 0.6 ? ('NETWORK' as const) : ('PARTIES' as const),
            createdAt: at(i, sizes.exchanges),
            completedAt: status === 'COMPLETED' ? at(i, sizes.exchanges) : null,
          };
        }),
      }),
  );
  return { networkId, slug, memberIds, stewardId: memberIds[0]! };
}
