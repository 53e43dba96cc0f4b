import DataLoader from 'dataloader';
import type { Db } from '../db/database.js';
import type { Listing, Membership } from '../db/generated/prisma/client.js';
import type { EventBus } from '../events/bus.js';
import type { Authentication, Viewer } from '../modules/accounts/service.js';
import type { Integration } from '../modules/integrations/service.js';
import type { Reader } from '../modules/networks/policy.js';
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
};

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
  };
  return context;
}
