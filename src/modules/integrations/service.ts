import { createHash, randomBytes } from 'node:crypto';
import type { ServiceDeps } from '../../deps.js';
import type { Activity, Webhook } from '../../db/generated/prisma/client.js';
import { conflict, forbidden, notFound } from '../../errors.js';
import type { JobQueue } from '../../events/jobs.js';
import { type Tx, inTransaction } from '../../events/unit-of-work.js';
import { log } from '../../log.js';
import type { Viewer } from '../accounts/service.js';
import type { NetworksService } from '../networks/service.js';
import type { CreateApiTokenInput, CreateWebhookInput, RedeliverInput, RevokeApiTokenInput, WebhookInput } from './inputs.js';
import { DELIVERY_TIMEOUT_MS, attemptOutcome, matchesPatterns, signatureHeader, SIGNATURE_HEADER, webhookPayload } from './rules.js';

/** An integration acting through an API token of one network. */
export type Integration = { tokenId: string; networkId: string; scopes: ('READ' | 'WRITE')[] };

/** Who changes integration settings: a steward, or an integration with WRITE for its own network. */
export type Actor = { member: Viewer } | { integration: Integration };

const API_TOKEN_PREFIX = 'tbi_';
const tokenHash = (token: string) => createHash('sha256').update(token).digest();
/** lastUsedAt is written at most this often. */
const TOKEN_TOUCH_MS = 60_000;

/**
 * Adds the outbox rows for one recorded event, in the transaction that recorded it: a
 * delivery for each enabled webhook of the network that subscribed to the type, and a
 * job to send it.
 */
export function createOutbox(jobs: JobQueue) {
  return async (tx: Tx, activity: Activity) => {
    if (!activity.networkId) return;
    const webhooks = await tx.webhook.findMany({ where: { networkId: activity.networkId, disabledAt: null } });
    for (const webhook of webhooks.filter((w) => matchesPatterns(activity.type, w.events))) {
      const delivery = await tx.webhookDelivery.create({ data: { webhookId: webhook.id, activityId: activity.id } });
      await jobs.enqueue(tx, 'webhook.deliver', { deliveryId: delivery.id });
    }
  };
}

export type IntegrationsService = ReturnType<typeof createIntegrationsService>;

export function createIntegrationsService(
  deps: ServiceDeps,
  networks: NetworksService,
  encodeId: (type: string, id: string) => string,
  fetchImpl: typeof fetch = fetch,
) {
  const { db } = deps;

  /** The network an actor may manage integrations of: NOT_FOUND if they cannot see it,
   * FORBIDDEN if they are not its steward (or its own WRITE integration). */
  async function authorize(actor: Actor, networkId: string, tx: Tx = db) {
    if ('integration' in actor) {
      if (actor.integration.networkId !== networkId) throw notFound('No such network.', ['networkId']);
      if (!actor.integration.scopes.includes('WRITE')) throw forbidden('This token cannot write.');
      return;
    }
    if (!(await networks.findVisibleNetwork(actor.member.memberId, networkId, tx))) throw notFound('No such network.', ['networkId']);
    if (!(await networks.isSteward(actor.member.memberId, networkId, tx))) throw forbidden("Only the network's stewards manage its integrations.");
  }

  const actorId = (actor: Actor) => ('member' in actor ? actor.member.memberId : null);

  async function webhookFor(actor: Actor, webhookId: string, tx: Tx): Promise<Webhook> {
    const webhook = await tx.webhook.findUnique({ where: { id: webhookId } });
    if (!webhook) throw notFound('No such webhook.', ['webhookId']);
    try {
      await authorize(actor, webhook.networkId, tx);
    } catch {
      throw notFound('No such webhook.', ['webhookId']);
    }
    return webhook;
  }

  /** The JSON body for an event, with members only as far as they consent. */
async function payloadOf(activity: Activity & { network: { id: string; slug: string } | null }) {
    const data = (activity.data ?? {}) as Record<string, unknown>;
    const ids = new Set<string>();
    if (activity.actorId) ids.add(activity.actorId);
    for (const value of Object.values(data)) {
      if (typeof value === 'string' && /^[0-9a-f-]{36}$/.test(value)) ids.add(value);
      if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') ids.add(v);
    }
    const consenting = await db.member.findMany({
      where: { id: { in: [...ids] }, shareWithIntegrations: true, erasedAt: null },
      select: { id: true, handle: true, displayName: true },
    });
    return webhookPayload(
      {
        activityId: activity.id,
        type: activity.type,
        occurredAt: activity.createdAt,
        network: activity.network ?? { id: '', slug: '' },
        actorId: activity.actorId,
        data,
      },
      new Map(consenting.map((m) => [m.id, { handle: m.handle, displayName: m.displayName }])),
      encodeId,
    );
  }

  return {
    async createApiToken(viewer: Viewer, input: CreateApiTokenInput) {
      await authorize({ member: viewer }, input.networkId);
      const token = API_TOKEN_PREFIX + randomBytes(32).toString('base64url');
      return inTransaction(deps, async (tx, record) => {
        const apiToken = await tx.apiToken.create({
          data: { networkId: input.networkId, name: input.name, scopes: input.scopes, tokenHash: tokenHash(token), createdById: viewer.memberId },
        });
        await record({ type: 'api_token.created', networkId: input.networkId, actorId: viewer.memberId, subjectId: apiToken.id, data: { name: input.name, scopes: input.scopes } });
        return { token, apiToken };
      });
    },

    async revokeApiToken(viewer: Viewer, input: RevokeApiTokenInput) {
      return inTransaction(deps, async (tx, record) => {
        const current = await tx.apiToken.findUnique({ where: { id: input.tokenId } });
        if (!current) throw notFound('No such token.', ['tokenId']);
        await authorize({ member: viewer }, current.networkId, tx).catch(() => {
          throw notFound('No such token.', ['tokenId']);
        });
        if (current.revokedAt) throw conflict('This token is already revoked.', ['tokenId']);
        const apiToken = await tx.apiToken.update({ where: { id: current.id }, data: { revokedAt: deps.now() } });
        await record({ type: 'api_token.revoked', networkId: current.networkId, actorId: viewer.memberId, subjectId: current.id, data: { name: current.name } });
        return apiToken;
      }).then((apiToken) => {
        deps.events.revoke({ tokenId: apiToken.id });
        return apiToken;
      });
    },

    /** The integration behind an API token, or null when it is unknown or revoked. */
    async authenticate(token: string): Promise<Integration | null> {
      if (!token.startsWith(API_TOKEN_PREFIX)) return null;
      const found = await db.apiToken.findUnique({ where: { tokenHash: tokenHash(token) } });
      if (!found || found.revokedAt) return null;
      const now = deps.now();
      if (!found.lastUsedAt || now.getTime() - found.lastUsedAt.getTime() >= TOKEN_TOUCH_MS) {
        await db.apiToken.update({ where: { id: found.id }, data: { lastUsedAt: now } });
      }
      return { tokenId: found.id, networkId: found.networkId, scopes: found.scopes };
    },

    isTokenActive: async (tokenId: string) => !(await db.apiToken.findUnique({ where: { id: tokenId } }))?.revokedAt,

    /** Registers an endpoint; its signing secret is returned this once. */
    async createWebhook(actor: Actor, input: CreateWebhookInput) {
      await authorize(actor, input.networkId);
      const secret = `whsec_${randomBytes(32).toString('base64url')}`;
      return inTransaction(deps, async (tx, record) => {
        const webhook = await tx.webhook.create({
          data: { networkId: input.networkId, url: input.url, events: [...new Set(input.events)], secret, createdById: actorId(actor) },
        });
        await record({ type: 'webhook.created', networkId: input.networkId, actorId: actorId(actor), subjectId: webhook.id, data: { webhookId: webhook.id, url: webhook.url } });
        return { webhook, secret };
      });
    },

    async deleteWebhook(actor: Actor, input: WebhookInput) {
      return inTransaction(deps, async (tx, record) => {
        const webhook = await webhookFor(actor, input.webhookId, tx);
        await tx.webhook.delete({ where: { id: webhook.id } });
        await record({ type: 'webhook.deleted', networkId: webhook.networkId, actorId: actorId(actor), subjectId: webhook.id, data: { url: webhook.url } });
        return webhook.id;
      });
    },

    /** Turns a disabled endpoint back on; deliveries that were cancelled can be redelivered. */
    async enableWebhook(actor: Actor, input: WebhookInput) {
      return inTransaction(deps, async (tx, record) => {
        const webhook = await webhookFor(actor, input.webhookId, tx);
        if (!webhook.disabledAt) throw conflict('This webhook is enabled.', ['webhookId']);
        const enabled = await tx.webhook.update({ where: { id: webhook.id }, data: { disabledAt: null, failingSince: null } });
        await record({ type: 'webhook.enabled', networkId: webhook.networkId, actorId: actorId(actor), subjectId: webhook.id, data: { webhookId: webhook.id } });
        return enabled;
      });
    },

    /** Sends an event to its webhook again, as a new delivery. */
    async redeliver(actor: Actor, input: RedeliverInput) {
      return inTransaction(deps, async (tx) => {
        const original = await tx.webhookDelivery.findUnique({ where: { id: input.deliveryId } });
        if (!original) throw notFound('No such delivery.', ['deliveryId']);
        const webhook = await webhookFor(actor, original.webhookId, tx).catch(() => {
          throw notFound('No such delivery.', ['deliveryId']);
        });
        if (webhook.disabledAt) throw conflict('Enable the webhook before redelivering to it.', ['deliveryId']);
        const delivery = await tx.webhookDelivery.create({ data: { webhookId: webhook.id, activityId: original.activityId } });
        await deps.jobs.enqueue(tx, 'webhook.deliver', { deliveryId: delivery.id });
        return delivery;
      });
    },

    /**
     * Job: sends one delivery. A 2xx answer delivers it; anything else is recorded and
     * retried (with exponential backoff and jitter) until the endpoint has failed for a
     * day, when it is disabled and its stewards are told through a webhook.disabled event.
     */
    async deliver(deliveryId: string, attempt: { last: boolean }) {
      const delivery = await db.webhookDelivery.findUnique({
        where: { id: deliveryId },
        include: { webhook: true, activity: { include: { network: { select: { id: true, slug: true } } } } },
      });
      if (!delivery || delivery.status !== 'PENDING') return;
      const { webhook, activity } = delivery;
      if (webhook.disabledAt) {
        await db.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'CANCELLED' } });
        return;
      }
      const body = JSON.stringify(await payloadOf(activity));
      const started = Date.now();
      let statusCode: number | null = null;
      let error: string | null = null;
      try {
        const response = await fetchImpl(webhook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Tiebridge-Webhooks/1',
            'x-tiebridge-event-id': activity.id.toString(),
            'x-tiebridge-event-type': activity.type,
            'x-tiebridge-delivery-id': delivery.id,
            [SIGNATURE_HEADER]: signatureHeader(webhook.secret, body, new Date()),
          },
          body,
          signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
          redirect: 'manual',
        });
        statusCode = response.status;
        await response.body?.cancel().catch(() => {});
        if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
      } catch (e) {
        error = (e as Error).name === 'TimeoutError' ? `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s` : (e as Error).message;
      }
      const now = deps.now();
      const outcome = attemptOutcome(statusCode, webhook.failingSince, now);
      await inTransaction(deps, async (tx, record) => {
        await tx.deliveryAttempt.create({ data: { deliveryId: delivery.id, at: now, statusCode, latencyMs: Date.now() - started, error } });
        const finalFailure = !outcome.delivered && (outcome.disable || attempt.last);
        await tx.webhookDelivery.update({
          where: { id: delivery.id },
          data: {
            attemptCount: { increment: 1 },
            lastAttemptAt: now,
            ...(outcome.delivered ? { status: 'DELIVERED', deliveredAt: now } : finalFailure ? { status: 'FAILED' } : {}),
          },
        });
        if (outcome.delivered) {
          if (webhook.failingSince) await tx.webhook.update({ where: { id: webhook.id }, data: { failingSince: null } });
          return;
        }
        if (!outcome.disable) {
          if (!webhook.failingSince) await tx.webhook.update({ where: { id: webhook.id }, data: { failingSince: outcome.failingSince } });
          return;
        }
        const { count } = await tx.webhook.updateMany({ where: { id: webhook.id, disabledAt: null }, data: { disabledAt: now } });
        await tx.webhookDelivery.updateMany({ where: { webhookId: webhook.id, status: 'PENDING' }, data: { status: 'CANCELLED' } });
        if (count) {
          await record({
            type: 'webhook.disabled',
            networkId: webhook.networkId,
            subjectId: webhook.id,
            data: { webhookId: webhook.id, url: webhook.url, failingSince: outcome.failingSince.toISOString() },
          });
        }
      });
      if (!outcome.delivered && !outcome.disable && !attempt.last) {
        log.info({ deliveryId, webhookId: webhook.id, error }, 'webhook delivery failed; it will be retried');
        throw new Error(`Delivery failed: ${error}`);
      }
    },

    payloadOf,
  };
}
