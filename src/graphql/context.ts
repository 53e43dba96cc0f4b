import DataLoader from 'dataloader';
import type { Db } from '../db/database.js';
import type { Listing, Membership } from '../db/generated/prisma/client.js';
import type { EngagementLevel } from '../domain.js';
import type { EventBus } from '../events/bus.js';
import type { Authentication, Viewer } from '../modules/accounts/service.js';
import type { LedgerLine } from '../modules/exchanges/service.js';
import type { Integration } from '../modules/integrations/service.js';
import type { Reader } from '../modules/networks/policy.js';
import type { TieView } from '../modules/trust/service.js';
import type { RateLimits } from '../security/rate-limits.js';
import type { Services } from '../services.js';

/** Built once per HTTP request or graphql-ws operation; read-only afterwards. */
export type Context = {
  viewer: Viewer | null;
  /** The integration acting, when the token is an API token (then `viewer` is null). */
  integration: Integration | null;
  /** Why a presented token was refused; null when none was sent or it was valid. */
  authFailure: Authentication['failure'] | null;
  db: Db;
  services: Services;
  events: EventBus;
  /** Members this request has proven to be: the viewer, and whoever signs up or logs in
   * in it (so an AuthPayload shows the new member their own private fields). */
  selfIds: Set<string>;
  /** Where the request comes from, for rate limits per client address. */
  clientAddress: string;
  rateLimits: RateLimits;
  /** The viewer's own membership per network id (any status), loaded once per request. */
  viewerMemberships: DataLoader<string, Membership | null>;
  /** Listings by id, as the reader may see them (null where they may not), batched per request. */
  visibleListings: DataLoader<string, Listing | null>;
  /** Members' ties in a network as the viewer may see them, batched per network and page size. */
  ties: DataLoader<{ memberId: string; networkId: string; first: number }, TieView[], string>;
  /** Members' ledger lines in a network as the reader may see them, batched per network. */
  ledgers: DataLoader<{ memberId: string; networkId: string }, LedgerLine[], string>;
  /** The engagement level members' behaviour in a network suggests, batched per network. */
  suggestedLevels: DataLoader<{ memberId: string; networkId: string }, EngagementLevel, string>;
};

/** A loader whose keys load together when they share a group (a network, say): `load` gets
 * the keys of one group and returns their values in the same order. */
function groupedLoader<Key, Value>(cacheKey: (key: Key) => string, group: (key: Key) => string, load: (keys: Key[]) => Promise<Value[]>) {
  return new DataLoader<Key, Value, string>(
    async (keys) => {
      const groups = new Map<string, Key[]>();
      for (const key of keys) groups.set(group(key), [...(groups.get(group(key)) ?? []), key]);
      const loaded = new Map<string, Value>();
      await Promise.all(
        [...groups.values()].map(async (members) => {
          const values = await load(members);
          members.forEach((key, i) => loaded.set(cacheKey(key), values[i]!));
        }),
      );
      return keys.map((key) => loaded.get(cacheKey(key))!);
    },
    { cacheKeyFn: cacheKey },
  );
}

/** Who reads in this request, for the visibility policies. */
export const readerOf = (context: Context): Reader =>
  context.viewer?.memberId ?? (context.integration ? { integrationOf: context.integration.networkId } : null);

/** Reads `Bearer <token>` from an Authorization header or graphql-ws connectionParams. */
export function bearerToken(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(value);
  return match?.[1] ?? null;
}

/** The long-lived parts of the app that every context points to. */
export type AppCore = { db: Db; services: Services; events: EventBus; rateLimits: RateLimits };

export async function createContext(app: AppCore, authorization: unknown, clientAddress = 'unknown'): Promise<Context> {
  const token = bearerToken(authorization);
  const isApiToken = token?.startsWith('tbi_') ?? false;
  const integration = token && isApiToken ? await app.services.integrations.authenticate(token) : null;
  const auth = token && !isApiToken ? await app.services.accounts.authenticate(token) : null;
  const viewer = auth?.viewer ?? null;
  const failure = isApiToken ? (integration ? null : ('invalid' as const)) : auth ? auth.failure : authorization ? ('invalid' as const) : null;
  const context: Context = {
    db: app.db,
    services: app.services,
    events: app.events,
    viewer,
    integration,
    clientAddress,
    rateLimits: app.rateLimits,
    selfIds: new Set(viewer ? [viewer.memberId] : []),
    authFailure: failure,
    viewerMemberships: new DataLoader(async (networkIds) => {
      if (!viewer) return networkIds.map(() => null);
      const rows = await app.services.networks.membershipsIn(viewer.memberId, networkIds);
      return networkIds.map((id) => rows.find((row) => row.networkId === id) ?? null);
    }),
    visibleListings: new DataLoader(async (ids) => {
      const rows = await app.services.listings.findVisibleMany(readerOf(context), ids);
      return ids.map((id) => rows.find((row) => row.id === id) ?? null);
    }),
    ties: groupedLoader(
      (key) => `${key.networkId}:${key.first}:${key.memberId}`,
      (key) => `${key.networkId}:${key.first}`,
      async (keys) => {
        const { networkId, first } = keys[0]!;
        const ties = await app.services.trust.tiesOf(viewer?.memberId ?? null, networkId, keys.map((key) => key.memberId), first);
        return keys.map((key) => ties.get(key.memberId)!);
      },
    ),
    ledgers: groupedLoader(
      (key) => `${key.networkId}:${key.memberId}`,
      (key) => key.networkId,
      async (keys) => {
        const lines = await app.services.exchanges.reciprocity(readerOf(context), keys[0]!.networkId, keys.map((key) => key.memberId));
        return keys.map((key) => lines.get(key.memberId)!);
      },
    ),
    suggestedLevels: groupedLoader(
      (key) => `${key.networkId}:${key.memberId}`,
      (key) => key.networkId,
      async (keys) => {
        const levels = await app.services.trust.suggestedLevels(keys[0]!.networkId, keys.map((key) => key.memberId));
        return keys.map((key) => levels.get(key.memberId)!.level);
      },
    ),
  };
  return context;
}
