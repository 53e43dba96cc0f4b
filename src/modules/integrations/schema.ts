import type { ApiToken, Webhook, WebhookDelivery } from '../../db/generated/prisma/client.js';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { builder } from '../../graphql/builder.js';
import type { Context } from '../../graphql/context.js';
import { codedError } from '../../graphql/errors.js';
import { globalIdOf, localId } from '../../graphql/ids.js';
import { mutationField, payloadType } from '../../graphql/mutations.js';
import {
  activityFilterInput,
  createApiTokenInput,
  createWebhookInput,
  eraseMyAccountInput,
  redeliverInput,
  revokeApiTokenInput,
  webhookInput,
} from './inputs.js';
import type { Actor } from './service.js';

/** The member or the WRITE integration behind a mutation. */
const actorOf = (context: Context): Actor =>
  context.viewer ? { member: context.viewer } : { integration: context.integration! };

const ApiScopeEnum = builder.enumType('ApiScope', { values: ['READ', 'WRITE'] as const });
const DeliveryStatusEnum = builder.enumType('DeliveryStatus', { values: ['PENDING', 'DELIVERED', 'FAILED', 'CANCELLED'] as const });

const NO_MEMBER = '00000000-0000-0000-0000-000000000000';
const stewardOfNetwork = (context: Context) => ({
  memberships: { some: { memberId: context.viewer?.memberId ?? NO_MEMBER, status: 'ACTIVE' as const, role: 'STEWARD' as const } },
});
/** Webhooks and their deliveries: for the network's stewards and its integrations. */
const managedNetwork = (context: Context) =>
  context.integration ? { id: context.integration.networkId } : stewardOfNetwork(context);

const ApiTokenRef = builder.prismaNode('ApiToken', {
  id: { field: 'id' },
  nullable: true,
  description: "An integration's key to one network; the secret itself is shown only when created. Stewards only.",
  findUnique: (id, context) => ({ id, AND: [{ network: stewardOfNetwork(context) }] }),
  fields: (t) => ({
    name: t.exposeString('name'),
    scopes: t.field({ type: [ApiScopeEnum], resolve: (token) => token.scopes }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    createdBy: t.relation('createdBy', { nullable: true }),
  }),
});

builder.prismaObject('DeliveryAttempt', {
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: 'Null when the receiver did not answer.' }),
    latencyMs: t.exposeInt('latencyMs'),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const DeliveryRef = builder.prismaNode('WebhookDelivery', {
  id: { field: 'id' },
  nullable: true,
  findUnique: (id, context) => ({ id, AND: [{ webhook: { network: managedNetwork(context) } }] }),
  fields: (t) => ({
    eventId: t.string({ description: 'The event (activity) id, the same in every delivery of it.', resolve: (d) => d.activityId.toString() }),
    eventType: t.string({ select: { activity: { select: { type: true } } }, resolve: (d) => d.activity.type }),
    status: t.expose('status', { type: DeliveryStatusEnum }),
    attemptCount: t.exposeInt('attemptCount'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    attempts: t.relation('attempts', { query: { orderBy: { at: 'asc' } } }),
  }),
});

const DeliveryConnection = builder.connectionObject({ type: DeliveryRef, name: 'WebhookDeliveryConnection' }, { name: 'WebhookDeliveryEdge' });

export const WebhookNode = builder.prismaNode('Webhook', {
  id: { field: 'id' },
  nullable: true,
  description: "An endpoint receiving the network's events; for its stewards and integrations.",
  findUnique: (id, context) => ({ id, AND: [{ network: managedNetwork(context) }] }),
  fields: (t) => ({
    url: t.exposeString('url'),
    events: t.exposeStringList('events'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    failingSince: t.expose('failingSince', { type: 'DateTime', nullable: true, description: 'Every delivery has failed since then.' }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true, description: 'Disabled after failing for a day; enableWebhook turns it back on.' }),
    deliveries: t.relatedConnection(
      'deliveries',
      {
        cursor: 'id',
        totalCount: true,
        description: 'Newest first, with every attempt.',
        args: { status: t.arg({ type: DeliveryStatusEnum }) },
        query: (args) => ({ where: args.status ? { status: args.status } : {}, orderBy: { id: 'desc' } }),
      },
      DeliveryConnection,
    ),
  }),
});

builder.prismaObject('Activity', {
  description: 'One entry of the activity record.',
  fields: (t) => ({
    id: t.string({ description: 'Increases with every event.', resolve: (a) => a.id.toString() }),
    type: t.exposeString('type'),
    at: t.expose('createdAt', { type: 'DateTime' }),
    actor: t.relation('actor', { nullable: true, description: 'Null when the system (or a decision of the network) acted.' }),
    subjectId: t.exposeString('subjectId', { nullable: true }),
    data: t.field({ type: 'JSONObject', resolve: (a) => (a.data ?? {}) as Record<string, unknown> }),
  }),
});

builder.prismaObjectFields('Network', (t) => ({
  apiTokens: t.relation('apiTokens', {
    description: 'Stewards only (empty for others).',
    query: (_args, context) => ({ where: { network: stewardOfNetwork(context) }, orderBy: { createdAt: 'desc' } }),
  }),
  // Folded into the network's query, deliveries and attempts with it; the filter keeps the
  // rows to the network's active stewards and its own integration.
  webhooks: t.relation('webhooks', {
    description: "Stewards and the network's integrations (empty for others).",
    query: (_args, context) => ({ where: { network: managedNetwork(context) }, orderBy: { createdAt: 'asc' } }),
  }),
  activity: t.prismaConnection(
    {
      type: 'Activity',
      cursor: 'id',
      description: "Stewards only: the network's activity record, newest first, filtered by types (or \"subject.*\" patterns), member and time.",
      args: {
        types: t.arg.stringList(),
        memberId: t.arg.id(),
        from: t.arg({ type: 'DateTime' }),
        to: t.arg({ type: 'DateTime' }),
      },
      totalCount: async (network, args, context) => context.db.activity.count({ where: await activityWhere(network.id, args, context) }),
      resolve: async (query, network, args, context) =>
        context.db.activity.findMany({ ...query, where: await activityWhere(network.id, args, context), orderBy: { id: 'desc' } }),
    },
    { name: 'ActivityConnection' },
    { name: 'ActivityEdge' },
  ),
}));

type ActivityArgs = { types?: string[] | null; memberId?: string | number | null; from?: Date | null; to?: Date | null };

async function activityWhere(networkId: string, args: ActivityArgs, context: Context) {
  const viewer = context.viewer?.memberId;
  if (!viewer || !(await context.services.networks.isSteward(viewer, networkId))) {
    throw codedError("Only the network's stewards can see this.", 'FORBIDDEN');
  }
  const parsed = activityFilterInput.safeParse({ ...args, memberId: undefined });
  if (!parsed.success) throw codedError(parsed.error.issues[0]!.message, 'BAD_USER_INPUT');
  const { types, from, to } = parsed.data;
  const memberId = args.memberId ? localId(String(args.memberId), 'Member') : null;
  if (args.memberId && !memberId) throw codedError('Not a Member ID.', 'BAD_USER_INPUT');
  const exact = types?.filter((p) => !p.includes('*')) ?? [];
  const prefixes = types?.filter((p) => p.endsWith('.*')).map((p) => p.slice(0, -1)) ?? [];
  const typeFilter =
    !types?.length || types.includes('*')
      ? {}
      : { OR: [...(exact.length ? [{ type: { in: exact } }] : []), ...prefixes.map((p) => ({ type: { startsWith: p } }))] };
  return {
    networkId,
    ...typeFilter,
    ...(memberId && { actorId: memberId }),
    ...((from || to) && { createdAt: { ...(from && { gte: from }), ...(to && { lt: to }) } }),
  };
}

// Mutations -------------------------------------------------------------------------

mutationField('createApiToken', {
  description: 'Stewards create a token for an integration of one network; the token is shown this once.',
  input: builder.inputType('CreateApiTokenInput', {
    fields: (t) => ({
      networkId: t.id({ required: true }),
      name: t.string({ required: true }),
      scopes: t.field({ type: [ApiScopeEnum], required: true, description: 'READ, or READ and WRITE.' }),
    }),
  }),
  schema: createApiTokenInput.extend({ networkId: globalIdOf('Network') }),
  payload: payloadType<{ token: string; apiToken: ApiToken }>('CreateApiTokenPayload', (t) => ({
    token: t.string({ nullable: true, description: 'Send as `Authorization: Bearer <token>`; shown once.', resolve: (p) => p.token ?? null }),
    apiToken: t.field({ type: ApiTokenRef, nullable: true, resolve: (p) => p.apiToken ?? null }),
  })),
  resolve: (input, context) => context.services.integrations.createApiToken(context.viewer, input),
});

mutationField('revokeApiToken', {
  input: builder.inputType('RevokeApiTokenInput', { fields: (t) => ({ tokenId: t.id({ required: true }) }) }),
  schema: revokeApiTokenInput.extend({ tokenId: globalIdOf('ApiToken') }),
  payload: payloadType<{ apiToken: ApiToken }>('RevokeApiTokenPayload', (t) => ({
    apiToken: t.field({ type: ApiTokenRef, nullable: true, resolve: (p) => p.apiToken ?? null }),
  })),
  resolve: async (input, context) => ({ apiToken: await context.services.integrations.revokeApiToken(context.viewer, input) }),
});

const webhookPayload = (name: string) =>
  payloadType<{ webhook: Webhook }>(name, (t) => ({
    webhook: t.field({ type: WebhookNode, nullable: true, resolve: (p) => p.webhook ?? null }),
  }));

mutationField('createWebhook', {
  access: 'member-or-integration',
  description: 'Stewards (or the network\'s WRITE integrations) register an endpoint; the signing secret is shown this once.',
  input: builder.inputType('CreateWebhookInput', {
    fields: (t) => ({
      networkId: t.id({ required: true }),
      url: t.string({ required: true }),
      events: t.stringList({ required: true, description: 'Event types, "<subject>.*" patterns, or "*" (see the README).' }),
    }),
  }),
  schema: createWebhookInput.extend({ networkId: globalIdOf('Network') }),
  rateLimits: (input) => [['webhook.network', input.networkId]],
  payload: payloadType<{ webhook: Webhook; secret: string }>('CreateWebhookPayload', (t) => ({
    webhook: t.field({ type: WebhookNode, nullable: true, resolve: (p) => p.webhook ?? null }),
    secret: t.string({ nullable: true, description: 'The HMAC-SHA256 key for X-Tiebridge-Signature; shown once.', resolve: (p) => p.secret ?? null }),
  })),
  resolve: (input, context) => context.services.integrations.createWebhook(actorOf(context), input),
});

mutationField('deleteWebhook', {
  access: 'member-or-integration',
  input: builder.inputType('DeleteWebhookInput', { fields: (t) => ({ webhookId: t.id({ required: true }) }) }),
  schema: webhookInput.extend({ webhookId: globalIdOf('Webhook') }),
  payload: payloadType<{ deletedWebhookId: string }>('DeleteWebhookPayload', (t) => ({
    deletedWebhookId: t.id({ nullable: true, resolve: (p) => p.deletedWebhookId ?? null }),
  })),
  resolve: async (input, context) => {
    await context.services.integrations.deleteWebhook(actorOf(context), input);
    return { deletedWebhookId: encodeGlobalID('Webhook', input.webhookId) };
  },
});

mutationField('enableWebhook', {
  access: 'member-or-integration',
  input: builder.inputType('EnableWebhookInput', { fields: (t) => ({ webhookId: t.id({ required: true }) }) }),
  schema: webhookInput.extend({ webhookId: globalIdOf('Webhook') }),
  payload: webhookPayload('EnableWebhookPayload'),
  resolve: async (input, context) => ({ webhook: await context.services.integrations.enableWebhook(actorOf(context), input) }),
});

mutationField('redeliverWebhookEvent', {
  access: 'member-or-integration',
  description: 'Sends a delivery\'s event to its webhook again, as a new delivery.',
  input: builder.inputType('RedeliverWebhookEventInput', { fields: (t) => ({ deliveryId: t.id({ required: true }) }) }),
  schema: redeliverInput.extend({ deliveryId: globalIdOf('WebhookDelivery') }),
  payload: payloadType<{ delivery: WebhookDelivery }>('RedeliverWebhookEventPayload', (t) => ({
    delivery: t.field({ type: DeliveryRef, nullable: true, resolve: (p) => p.delivery ?? null }),
  })),
  resolve: async (input, context) => ({ delivery: await context.services.integrations.redeliver(actorOf(context), input) }),
});

mutationField('exportMyData', {
  description: 'Everything the platform holds about you, as one JSON document.',
  payload: payloadType<{ data: Record<string, unknown> }>('ExportMyDataPayload', (t) => ({
    data: t.field({ type: 'JSONObject', nullable: true, resolve: (p) => p.data ?? null }),
  })),
  resolve: async (_input, context) => ({ data: await context.services.privacy.exportMyData(context.viewer) }),
});

mutationField('eraseMyAccount', {
  description: "Removes your personal data everywhere; others' history stays, with you shown as a former member. Cannot be undone.",
  input: builder.inputType('EraseMyAccountInput', {
    fields: (t) => ({ password: t.string({ required: true }), confirm: t.string({ required: true, description: 'The word ERASE.' }) }),
  }),
  schema: eraseMyAccountInput,
  // It checks the password: counted with changePassword's attempts.
  rateLimits: (_input, context) => [['password.member', context.viewer!.memberId]],
  payload: payloadType<{ erased: boolean }>('EraseMyAccountPayload', (t) => ({
    erased: t.boolean({ resolve: (p) => p.erased ?? false }),
  })),
  resolve: async (input, context) => {
    await context.services.privacy.eraseMyAccount(context.viewer, input);
    return { erased: true };
  },
});

