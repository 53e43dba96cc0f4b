import { createHash } from 'node:crypto';
import type { ServiceDeps } from '../../deps.js';
import { uniqueViolationFields } from '../../db/errors.js';
import type { Exchange, LedgerEntry } from '../../db/generated/prisma/client.js';
import { CONTRIBUTION_KINDS } from '../../domain.js';
import { DomainError, conflict, forbidden, notFound } from '../../errors.js';
import type { EventType } from '../../events/types.js';
import { type RecordActivity, type Tx, inTransaction } from '../../events/unit-of-work.js';
import type { Viewer } from '../accounts/service.js';
import type { ListingsService } from '../listings/service.js';
import type { NetworksService } from '../networks/service.js';
import type { TrustService } from '../trust/service.js';
import type { CancelExchangeInput, GratitudeInput, ProposeExchangeInput, RespondToExchangeInput } from './inputs.js';
import type { Reader } from '../networks/policy.js';
import { visibleExchanges } from './policy.js';
import { type ExchangeAction, LIVE_STATUSES, type Party, decideTransition, ledgerIncrements, oneWayMembers } from './rules.js';

const EVENT: Record<ExchangeAction, EventType> = {
  ACCEPT: 'exchange.accepted',
  DECLINE: 'exchange.declined',
  COMPLETE: 'exchange.completed',
  CONFIRM: 'exchange.confirmed',
  CANCEL: 'exchange.cancelled',
};

const exchangeEvent = (e: Exchange) => ({
  exchangeId: e.id,
  status: e.status,
  kind: e.kind,
  giverId: e.giverId,
  receiverId: e.receiverId,
  visibility: e.visibility,
});

/** A stable fingerprint of what was asked, to tell a retry from a different request. */
function requestHash(input: ProposeExchangeInput): string {
  const { idempotencyKey: _key, ...rest } = input;
  const canonical = Object.keys(rest)
    .sort()
    .map((k) => [k, rest[k as keyof typeof rest] ?? null]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

async function lockExchange(tx: Tx, id: string) {
  await tx.$executeRaw`SELECT 1 FROM "Exchange" WHERE id = ${id}::uuid FOR UPDATE`;
}

/** Adds to one member's ledger row atomically (concurrent completions add up exactly). */
async function addToLedger(
  tx: Tx,
  entry: { networkId: string; memberId: string; kind: Exchange['kind'] },
  add: Partial<Record<'givenCount' | 'receivedCount' | 'givenHours' | 'receivedHours' | 'givenUnits' | 'receivedUnits', number>>,
) {
  const v = { givenCount: 0, receivedCount: 0, givenHours: 0, receivedHours: 0, givenUnits: 0, receivedUnits: 0, ...add };
  await tx.$executeRaw`
    INSERT INTO "LedgerEntry" ("networkId", "memberId", "kind", "givenCount", "receivedCount", "givenHours", "receivedHours", "givenUnits", "receivedUnits", "updatedAt")
    VALUES (${entry.networkId}::uuid, ${entry.memberId}::uuid, ${entry.kind}::"ContributionKind", ${v.givenCount}, ${v.receivedCount},
            ${v.givenHours}, ${v.receivedHours}, ${v.givenUnits}, ${v.receivedUnits}, now())
    ON CONFLICT ("networkId", "memberId", "kind") DO UPDATE SET
      "givenCount" = "LedgerEntry"."givenCount" + EXCLUDED."givenCount",
      "receivedCount" = "LedgerEntry"."receivedCount" + EXCLUDED."receivedCount",
      "givenHours" = "LedgerEntry"."givenHours" + EXCLUDED."givenHours",
      "receivedHours" = "LedgerEntry"."receivedHours" + EXCLUDED."receivedHours",
      "givenUnits" = "LedgerEntry"."givenUnits" + EXCLUDED."givenUnits",
      "receivedUnits" = "LedgerEntry"."receivedUnits" + EXCLUDED."receivedUnits",
      "updatedAt" = now()`;
}

export type LedgerLine = Pick<LedgerEntry, 'kind' | 'givenCount' | 'receivedCount' | 'givenHours' | 'receivedHours' | 'givenUnits' | 'receivedUnits'>;

/** One line per contribution kind, zeros where nothing was exchanged. */
function ledgerLines(entries: LedgerLine[]): LedgerLine[] {
  return CONTRIBUTION_KINDS.map(
    (kind) =>
      entries.find((e) => e.kind === kind) ?? {
        kind,
        givenCount: 0,
        receivedCount: 0,
        givenHours: 0,
        receivedHours: 0,
        givenUnits: 0,
        receivedUnits: 0,
      },
  );
}

export type ExchangesService = ReturnType<typeof createExchangesService>;

export function createExchangesService(deps: ServiceDeps, networks: NetworksService, listings: ListingsService, trust: TrustService) {
  const { db } = deps;

  /** The earlier exchange of a retried proposal, or a CONFLICT if the key meant something else. */
  async function replay(proposerId: string, key: string, hash: string): Promise<Exchange | null> {
    const earlier = await db.exchange.findUnique({ where: { proposerId_idempotencyKey: { proposerId, idempotencyKey: key } } });
    if (!earlier) return null;
    if (earlier.requestHash !== hash) throw conflict('This idempotency key was already used for a different exchange.', ['idempotencyKey']);
    return earlier;
  }

  async function transition(viewer: Viewer, exchangeId: string, action: ExchangeAction, gratitude?: string | null) {
    return inTransaction(deps, async (tx, record) => {
      await lockExchange(tx, exchangeId);
      const current = await tx.exchange.findFirst({ where: { id: exchangeId, ...visibleExchanges(viewer.memberId) } });
      if (!current) throw notFound('No such exchange.', ['exchangeId']);
      const actor: Party | null =
        current.giverId === viewer.memberId ? 'GIVER' : current.receiverId === viewer.memberId ? 'RECEIVER' : null;
      const decision = decideTransition(
        {
          status: current.status,
          proposedBy: current.proposerId === current.giverId ? 'GIVER' : 'RECEIVER',
          giverConfirmed: current.giverConfirmedAt !== null,
          receiverConfirmed: current.receiverConfirmedAt !== null,
        },
        actor,
        action,
      );
      if ('refused' in decision) throw new DomainError({ code: decision.refused, message: decision.message });
      const now = deps.now();
      const note = gratitude ? { [actor === 'GIVER' ? 'giverGratitude' : 'receiverGratitude']: gratitude } : {};
      const exchange = await tx.exchange.update({
        where: { id: current.id },
        data: {
          status: decision.status,
          ...note,
          ...(action === 'ACCEPT' || action === 'DECLINE' ? { respondedAt: now } : {}),
          ...(action === 'CANCEL' ? { cancelledAt: now } : {}),
          ...(action === 'COMPLETE' ? { completedAt: now } : {}),
          ...(decision.confirms === 'GIVER' ? { giverConfirmedAt: now } : {}),
          ...(decision.confirms === 'RECEIVER' ? { receiverConfirmedAt: now } : {}),
        },
      });
      const linked = [exchange.askId, exchange.offerId].filter((id): id is string => id !== null);
      if (action === 'COMPLETE') {
        const add = ledgerIncrements(exchange.measure, exchange.measureUnit);
        await addToLedger(tx, { networkId: exchange.networkId, memberId: exchange.giverId, kind: exchange.kind }, add.giver);
        await addToLedger(tx, { networkId: exchange.networkId, memberId: exchange.receiverId, kind: exchange.kind }, add.receiver);
        await listings.fulfil(tx, record, linked);
        await trust.exchangeCompleted(tx, exchange);
      }
      if (action === 'CONFIRM') await trust.exchangeConfirmed(tx, record, exchange);
      if (action === 'DECLINE' || action === 'CANCEL') {
        const released = await Promise.all(
          linked.map(async (listingId) => ({
            listingId,
            otherLiveExchanges: await tx.exchange.count({
              where: { id: { not: exchange.id }, status: { in: LIVE_STATUSES }, OR: [{ askId: listingId }, { offerId: listingId }] },
            }),
          })),
        );
        await listings.release(tx, record, released);
      }
      await record({
        type: EVENT[action],
        networkId: exchange.networkId,
        actorId: viewer.memberId,
        subjectId: exchange.id,
        data: exchangeEvent(exchange),
      });
      return exchange;
    });
  }

  async function recordProposal(tx: Tx, record: RecordActivity, exchange: Exchange) {
    await record({
      type: 'exchange.proposed',
      networkId: exchange.networkId,
      actorId: exchange.proposerId,
      subjectId: exchange.id,
      data: exchangeEvent(exchange),
    });
  }

  return {
    /** The viewer proposes as giver or receiver. With an idempotency key, a retry returns
     * the first exchange and writes nothing. */
    async propose(viewer: Viewer, input: ProposeExchangeInput) {
      if (input.giverId !== viewer.memberId && input.receiverId !== viewer.memberId) {
        throw forbidden('You can only propose exchanges you give or receive in.');
      }
      const key = input.idempotencyKey ?? null;
      const hash = requestHash(input);
      if (key) {
        const earlier = await replay(viewer.memberId, key, hash);
        if (earlier) return earlier;
      }
      if (!(await networks.isActiveMember(viewer.memberId, input.networkId))) {
        const visible = await networks.findVisibleNetwork(viewer.memberId, input.networkId);
        if (!visible) throw notFound('No such network.', ['networkId']);
        throw forbidden('Only active members exchange in this network.');
      }
      const other = input.giverId === viewer.memberId ? { id: input.receiverId, field: 'receiverId' } : { id: input.giverId, field: 'giverId' };
      if (!(await networks.isActiveMember(other.id, input.networkId))) {
        throw notFound('That member is not an active member of this network.', [other.field]);
      }
      try {
        return await inTransaction(deps, async (tx, record) => {
          const exchange = await tx.exchange.create({
            data: {
              networkId: input.networkId,
              giverId: input.giverId,
              receiverId: input.receiverId,
              proposerId: viewer.memberId,
              askId: input.askId ?? null,
              offerId: input.offerId ?? null,
              kind: input.kind,
              description: input.description ?? null,
              measure: input.measure ?? null,
              measureUnit: input.measureUnit ?? null,
              visibility: input.visibility ?? 'PARTIES',
              idempotencyKey: key,
              requestHash: key ? hash : null,
            },
          });
          const base = { networkId: input.networkId };
          if (input.askId) await listings.linkToExchange(tx, record, { ...base, listingId: input.askId, type: 'ASK', authorId: input.receiverId, field: 'askId' });
          if (input.offerId) await listings.linkToExchange(tx, record, { ...base, listingId: input.offerId, type: 'OFFER', authorId: input.giverId, field: 'offerId' });
          await recordProposal(tx, record, exchange);
          return exchange;
        });
      } catch (error) {
        // A concurrent retry with the same key got there first.
        if (key && uniqueViolationFields(error)?.includes('idempotencyKey')) {
          const earlier = await replay(viewer.memberId, key, hash);
          if (earlier) return earlier;
        }
        throw error;
      }
    },

    respond: (viewer: Viewer, input: RespondToExchangeInput) => transition(viewer, input.exchangeId, input.accept ? 'ACCEPT' : 'DECLINE'),
    complete: (viewer: Viewer, input: GratitudeInput) => transition(viewer, input.exchangeId, 'COMPLETE', input.gratitude),
    confirm: (viewer: Viewer, input: GratitudeInput) => transition(viewer, input.exchangeId, 'CONFIRM', input.gratitude),
    cancel: (viewer: Viewer, input: CancelExchangeInput) => transition(viewer, input.exchangeId, 'CANCEL'),

    /** An exchange by id, with what `query` (a Prisma select or include) reads of it. */
    findExchange: (id: string, query: object = {}) => db.exchange.findUniqueOrThrow({ ...query, where: { id } }),

    findVisible: (viewerId: Reader, id: string) => db.exchange.findFirst({ where: { id, ...visibleExchanges(viewerId) } }),

    /** What each of these members gave and received per kind in a network, read together;
     * all zeros for a member whose membership there the viewer may not see. */
    async reciprocity(viewerId: Reader, networkId: string, memberIds: readonly string[]): Promise<Map<string, LedgerLine[]>> {
      const visible = (await networks.findMembershipsVisibleTo(viewerId, memberIds, networkId)).map((m) => m.memberId);
      const entries = visible.length ? await db.ledgerEntry.findMany({ where: { networkId, memberId: { in: visible } } }) : [];
      return new Map(memberIds.map((id) => [id, ledgerLines(entries.filter((e) => e.memberId === id))]));
    },

    /** For stewards: the network's totals per kind, and who only gives or only receives. */
    async networkReciprocity(networkId: string) {
      const entries = await db.ledgerEntry.findMany({ where: { networkId } });
      const totals = ledgerLines(
        CONTRIBUTION_KINDS.map((kind) => {
          const rows = entries.filter((e) => e.kind === kind);
          const sum = (k: keyof LedgerLine) => rows.reduce((acc, r) => acc + (r[k] as number), 0);
          return {
            kind,
            givenCount: sum('givenCount'),
            receivedCount: sum('receivedCount'),
            givenHours: sum('givenHours'),
            receivedHours: sum('receivedHours'),
            givenUnits: sum('givenUnits'),
            receivedUnits: sum('receivedUnits'),
          };
        }),
      );
      return { totals, ...oneWayMembers(entries) };
    },
  };
}
