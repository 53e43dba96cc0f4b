import { randomBytes } from 'node:crypto';
import { stringify } from 'csv-stringify/sync';
import type { ServiceDeps } from '../../deps.js';
import { DomainError } from '../../errors.js';
import { inTransaction } from '../../events/unit-of-work.js';
import type { AccountsService, Viewer } from '../accounts/service.js';
import type { NetworksService } from '../networks/service.js';
import type { EraseMyAccountInput } from './inputs.js';
import type { Integration } from './service.js';

/** JSON-safe: BigInt ids become strings. */
const plain = <T>(value: T): unknown =>
  JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v)));

const CRM_BATCH = 500;
export const CRM_COLUMNS = [
  'id',
  'handle',
  'displayName',
  'email',
  'location',
  'bio',
  'role',
  'engagementLevel',
  'trustLevel',
  'joinedAt',
  'exchangesGiven',
  'exchangesReceived',
  'lastActivityAt',
] as const;
export type CrmRow = Record<(typeof CRM_COLUMNS)[number], string | number | null>;

export type PrivacyService = ReturnType<typeof createPrivacyService>;

/** Member data export and erasure, and the consented CRM export of a network. */
export function createPrivacyService(
  deps: ServiceDeps,
  accounts: AccountsService,
  networks: NetworksService,
  encodeId: (type: string, id: string) => string,
) {
  const { db } = deps;

  /**
   * The network's active members who consent to sharing with integrations, with only
   * the fields they show, in batches: for streaming CSV or JSON to a CRM.
   */
async function* crmRows(networkId: string): AsyncGenerator<CrmRow[]> {
    let cursor: string | undefined;
    for (;;) {
      const memberships = await db.membership.findMany({
        where: { networkId, status: 'ACTIVE', member: { shareWithIntegrations: true, erasedAt: null } },
        include: { member: true },
        orderBy: { id: 'asc' },
        take: CRM_BATCH,
        ...(cursor && { cursor: { id: cursor }, skip: 1 }),
      });
      if (!memberships.length) return;
      const ids = memberships.map((m) => m.memberId);
      const [ledger, lastActive] = await Promise.all([
        db.ledgerEntry.groupBy({ by: ['memberId'], where: { networkId, memberId: { in: ids } }, _sum: { givenCount: true, receivedCount: true } }),
        db.activity.groupBy({ by: ['actorId'], where: { networkId, actorId: { in: ids } }, _max: { createdAt: true } }),
      ]);
      const totals = new Map(ledger.map((l) => [l.memberId, l._sum]));
      const last = new Map(lastActive.map((a) => [a.actorId, a._max.createdAt]));
      yield memberships.map(({ member, ...m }) => ({
        id: encodeId('Member', member.id),
        handle: member.handle,
        displayName: member.displayName,
        email: member.showEmail ? member.email : null,
        location: member.showLocation ? member.location : null,
        bio: member.showBio ? member.bio : null,
        role: m.role,
        engagementLevel: m.engagementLevel,
        trustLevel: m.trustLevel,
        joinedAt: m.joinedAt?.toISOString() ?? null,
        exchangesGiven: totals.get(member.id)?.givenCount ?? 0,
        exchangesReceived: totals.get(member.id)?.receivedCount ?? 0,
        lastActivityAt: last.get(member.id)?.toISOString() ?? null,
      }));
      cursor = memberships.at(-1)!.id;
      if (memberships.length < CRM_BATCH) return;
    }
  }

  return {
    /** Everything the platform holds about the viewer, as one JSON document. */
    async exportMyData(viewer: Viewer) {
      const id = viewer.memberId;
      const member = await db.member.findUniqueOrThrow({ where: { id } });
      const { passwordHash: _hash, ...profile } = member;
      const [
        sessions,
        memberships,
        listings,
        exchanges,
        ledger,
        proposals,
        ballots,
        meetups,
        rsvps,
        attendances,
        vouchesGiven,
        vouchesReceived,
        endorsementsGiven,
        endorsementsReceived,
        introductions,
        ties,
        activity,
        apiTokens,
        webhooks,
      ] = await Promise.all([
        db.session.findMany({ where: { memberId: id }, select: { createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true } }),
        db.membership.findMany({ where: { memberId: id }, include: { network: { select: { slug: true, name: true } }, changes: true } }),
        db.listing.findMany({ where: { authorId: id } }),
        db.exchange.findMany({ where: { OR: [{ giverId: id }, { receiverId: id }, { proposerId: id }] } }),
        db.ledgerEntry.findMany({ where: { memberId: id } }),
        db.proposal.findMany({ where: { proposerId: id } }),
        db.ballot.findMany({ where: { memberId: id } }),
        db.meetup.findMany({ where: { organizerId: id }, omit: { attendanceCode: true } }),
        db.rsvp.findMany({ where: { memberId: id } }),
        db.attendance.findMany({ where: { memberId: id } }),
        db.vouch.findMany({ where: { voucherId: id } }),
        db.vouch.findMany({ where: { voucheeId: id } }),
        db.skillEndorsement.findMany({ where: { endorserId: id } }),
        db.skillEndorsement.findMany({ where: { memberId: id } }),
        db.introduction.findMany({ where: { OR: [{ connectorId: id }, { memberAId: id }, { memberBId: id }] } }),
        db.tie.findMany({ where: { OR: [{ memberAId: id }, { memberBId: id }] } }),
        db.activity.findMany({ where: { actorId: id }, orderBy: { id: 'asc' } }),
        db.apiToken.findMany({ where: { createdById: id }, omit: { tokenHash: true } }),
        db.webhook.findMany({ where: { createdById: id }, omit: { secret: true } }),
      ]);
      return plain({
        format: 'tiebridge-member-export/1',
        exportedAt: deps.now(),
        member: { ...profile, id: encodeId('Member', id) },
        sessions,
        memberships,
        listings,
        exchanges,
        ledger,
        proposals,
        votes: ballots,
        meetupsOrganized: meetups,
        rsvps,
        attendances,
        vouchesGiven,
        vouchesReceived,
        endorsementsGiven,
        endorsementsReceived,
        introductions,
        ties,
        activity,
        apiTokensCreated: apiTokens,
        webhooksCreated: webhooks,
      }) as Record<string, unknown>;
    },

    /**
     * Removes the member's personal data everywhere and cannot be undone. The member row
     * stays, anonymous, so that others' exchanges, votes, ties and decisions keep their
     * history; what only concerned the member (sessions, listings, check-in attempts) goes.
     */
    async eraseMyAccount(viewer: Viewer, input: EraseMyAccountInput) {
      if (!(await accounts.verifyPassword(viewer.memberId, input.password))) {
        throw new DomainError({ code: 'BAD_USER_INPUT', message: 'The password is not right.', field: ['password'] });
      }
      const id = viewer.memberId;
      const erased = '(erased)';
      await inTransaction(deps, async (tx, record) => {
        const now = deps.now();
        const anonymous = `erased_${id.replace(/-/g, '').slice(-12)}`;
        await tx.member.update({
          where: { id },
          data: {
            email: `${anonymous}@erased.invalid`,
            handle: anonymous,
            displayName: 'Former member',
            bio: null,
            location: null,
            skills: [],
            passwordHash: `erased$${randomBytes(32).toString('hex')}`,
            showEmail: false,
            showLocation: false,
            showBio: false,
            shareWithIntegrations: false,
            erasedAt: now,
          },
        });
        await tx.session.deleteMany({ where: { memberId: id } });
        await tx.checkInFailure.deleteMany({ where: { memberId: id } });
        await tx.listing.deleteMany({ where: { authorId: id } });
        await tx.membership.updateMany({ where: { memberId: id, status: { in: ['ACTIVE', 'PENDING'] } }, data: { status: 'LEFT', endedAt: now } });
        await tx.membership.updateMany({ where: { memberId: id }, data: { message: null } });
        await tx.exchange.updateMany({ where: { proposerId: id }, data: { description: null } });
        await tx.exchange.updateMany({ where: { giverId: id }, data: { giverGratitude: null } });
        await tx.exchange.updateMany({ where: { receiverId: id }, data: { receiverGratitude: null } });
        await tx.ballot.updateMany({ where: { memberId: id }, data: { reason: null } });
        await tx.vouch.updateMany({ where: { OR: [{ voucherId: id }, { voucheeId: id }] }, data: { context: erased } });
        await tx.introduction.updateMany({ where: { OR: [{ connectorId: id }, { memberAId: id }, { memberBId: id }] }, data: { note: erased } });
        await tx.apiToken.updateMany({ where: { createdById: id }, data: { createdById: null } });
        await tx.webhook.updateMany({ where: { createdById: id }, data: { createdById: null } });
        await record({ type: 'member.erased', subjectId: id });
      });
      deps.events.revoke({ memberId: id });
    },

    /** May this reader export the network's CRM data: its stewards, and its READ tokens. */
    async canExportCrm(reader: { viewer: Viewer | null; integration: Integration | null }, networkId: string) {
      if (reader.integration) return reader.integration.networkId === networkId;
      return reader.viewer ? networks.isSteward(reader.viewer.memberId, networkId) : false;
    },

    crmRows,

    /** The same rows as CSV text, header first. */
    async *crmCsv(networkId: string): AsyncGenerator<string> {
      yield stringify([[...CRM_COLUMNS]]);
      for await (const rows of crmRows(networkId)) yield stringify(rows.map((r) => CRM_COLUMNS.map((c) => r[c] ?? '')));
    },

    /** The same rows as one JSON array, produced piece by piece. */
    async *crmJson(networkId: string): AsyncGenerator<string> {
      let first = true;
      yield '[';
      for await (const rows of crmRows(networkId)) {
        for (const row of rows) {
          yield `${first ? '' : ','}\n${JSON.stringify(row)}`;
          first = false;
        }
      }
      yield '\n]\n';
    },
  };
}
