/** Pure decisions about integrations: event subscriptions, signatures, delivery, payloads. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EVENT_SUBJECTS, EVENT_TYPES } from '../../events/types.js';

// ---------------------------------------------------------------------------------
// Subscriptions

/** "*", a known event type, or "<subject>.*" for every type of a subject. */
export function isValidPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return (EVENT_SUBJECTS as string[]).includes(pattern.slice(0, -2));
  return (EVENT_TYPES as readonly string[]).includes(pattern);
}

export const matchesPatterns = (type: string, patterns: string[]) =>
  patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));

// ---------------------------------------------------------------------------------
// Signatures: X-Tiebridge-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">

export const SIGNATURE_HEADER = 'X-Tiebridge-Signature';
/** Receivers should refuse signatures older (or newer) than this. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export const signatureOf = (secret: string, timestamp: number, body: string) =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export const signatureHeader = (secret: string, body: string, now: Date) => {
  const t = Math.floor(now.getTime() / 1000);
  return `t=${t},v1=${signatureOf(secret, t, body)}`;
};

/** The receiver's check, as the README documents it. */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  body: string,
  now: Date,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): { ok: true } | { ok: false; reason: 'malformed' | 'expired' | 'mismatch' } {
  const parts = Object.fromEntries((header ?? '').split(',').map((kv) => kv.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  const given = parts.v1;
  if (!Number.isInteger(t) || !given || !/^[0-9a-f]{64}$/.test(given)) return { ok: false, reason: 'malformed' };
  if (Math.abs(now.getTime() / 1000 - t) > toleranceSeconds) return { ok: false, reason: 'expired' };
  const expected = Buffer.from(signatureOf(secret, t, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex')) ? { ok: true } : { ok: false, reason: 'mismatch' };
}

// ---------------------------------------------------------------------------------
// Delivery

/** An endpoint that has failed every delivery for this long is disabled. */
export const DISABLE_AFTER_FAILING_MS = 24 * 3600 * 1000;
/** How long a receiver may take to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;

export type AttemptOutcome = { delivered: true } | { delivered: false; disable: boolean; failingSince: Date };

/** What an answer (or none: statusCode null) means for the delivery and the endpoint. */
export function attemptOutcome(statusCode: number | null, failingSince: Date | null, now: Date): AttemptOutcome {
  if (statusCode !== null && statusCode >= 200 && statusCode < 300) return { delivered: true };
  const since = failingSince ?? now;
  return { delivered: false, disable: now.getTime() - since.getTime() >= DISABLE_AFTER_FAILING_MS, failingSince: since };
}

// ---------------------------------------------------------------------------------
// Payloads

/** Activity data keys that name members, and what they become in a payload. */
const MEMBER_KEYS: Record<string, string> = {
  memberId: 'member',
  giverId: 'giver',
  receiverId: 'receiver',
  authorId: 'author',
  voucheeId: 'vouchee',
  memberAId: 'memberA',
  memberBId: 'memberB',
};

/** Activity data keys that name other things, and their GraphQL type. */
const ENTITY_KEYS: Record<string, string> = {
  exchangeId: 'Exchange',
  proposalId: 'Proposal',
  meetupId: 'Meetup',
  ruleId: 'Rule',
  goalId: 'Goal',
  membershipId: 'Membership',
  introductionId: 'Introduction',
  webhookId: 'Webhook',
};

export type MemberRef = { id: string; handle: string; displayName: string };

export type PayloadSource = {
  activityId: bigint;
  type: string;
  occurredAt: Date;
  network: { id: string; slug: string };
  actorId: string | null;
  data: Record<string, unknown>;
};

/**
 * The JSON body sent to a webhook. Members appear (id, handle, display name) only if they
 * consent to sharing with integrations; otherwise they are null (or left out of lists).
 * `sequence` increases with every event, so receivers can order what they get.
 */
export function webhookPayload(
  source: PayloadSource,
  consenting: Map<string, Omit<MemberRef, 'id'>>,
  encodeId: (type: string, id: string) => string,
) {
  const member = (id: unknown): MemberRef | null => {
    const found = typeof id === 'string' ? consenting.get(id) : undefined;
    return found ? { id: encodeId('Member', id as string), ...found } : null;
  };
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source.data)) {
    if (key in MEMBER_KEYS) data[MEMBER_KEYS[key]!] = member(value);
    else if (key === 'memberIds' && Array.isArray(value)) data.members = value.map(member).filter(Boolean);
    else if (key === 'listingId' && typeof value === 'string') data.listing = encodeId(source.data.type === 'ASK' ? 'Ask' : 'Offer', value);
    else if (key in ENTITY_KEYS && typeof value === 'string') data[key.slice(0, -2)] = encodeId(ENTITY_KEYS[key]!, value);
    else data[key] = value;
  }
  return {
    id: source.activityId.toString(),
    sequence: Number(source.activityId),
    type: source.type,
    occurredAt: source.occurredAt.toISOString(),
    network: { id: encodeId('Network', source.network.id), slug: source.network.slug },
    actor: member(source.actorId),
    data,
  };
}
