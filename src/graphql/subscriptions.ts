import { Repeater } from 'graphql-yoga';
import { notFound } from '../errors.js';
import type { Channel, DomainEvent } from '../events/bus.js';
import type { MembershipState } from '../events/deliveries.js';
import type { Reader } from '../modules/networks/policy.js';
import { type Context, readerOf } from './context.js';
import { localId } from './ids.js';

/** Returned by a delivery check to end the subscription (e.g. the member left). */
export const END = Symbol('end of subscription');

/**
 * Turns a stream of domain events into what one subscriber may receive: `deliver`
 * runs for each event when it arrives (so permissions are those of that moment) and
 * returns the payload, null to skip the event, or END to close the stream.
 */
export function deliverEach<T>(
  source: AsyncIterable<DomainEvent>,
  deliver: (event: DomainEvent) => Promise<T | null | typeof END>,
): AsyncIterable<T> {
  return new Repeater<T>(async (push, stop) => {
    const events = source[Symbol.asyncIterator]();
    const stopped = stop.then(() => ({ done: true as const, value: undefined }));
    try {
      for (;;) {
        const next = await Promise.race([events.next(), stopped]);
        if (next.done) break;
        const payload = await deliver(next.value);
        if (payload === END) break;
        if (payload !== null) await push(payload);
      }
    } finally {
      await events.return?.();
      stop();
    }
  });
}

/** A subscriber's membership in the network they subscribed to, as read for the event at
 * hand (null for an integration or a non-member). */
export type Standing = { networkId: string; membership: MembershipState | null };

/**
 * The events of one channel of a network, for a subscriber who is an active member of
 * it: NOT_FOUND when they are not (as if the network did not exist), and the stream
 * ends when they stop being one. `deliver` shapes each event or returns null to skip it;
 * it gets the membership the check read, so it need not read it again.
 */
export async function memberEvents<T>(
  context: Context,
  channel: Channel,
  networkGlobalId: string,
  deliver: (event: DomainEvent, standing: Standing) => Promise<T | null>,
): Promise<AsyncIterable<T>> {
  const networkId = localId(networkGlobalId, 'Network');
  if (networkId === null) throw notFound('No such network.');
  const { deliveries, integrations } = context.services;
  const memberId = context.viewer?.memberId;
  const integration = context.integration;
  // Members while they are active; an integration while its token is not revoked.
  // (Checked again for every event, batched with the other subscribers it reaches.)
  const standing = async (): Promise<Standing & { allowed: boolean }> => {
    if (memberId) {
      const membership = await deliveries.membership(memberId, networkId);
      return { networkId, membership, allowed: membership?.status === 'ACTIVE' };
    }
    const allowed = integration !== null && integration.networkId === networkId && (await integrations.isTokenActive(integration.tokenId));
    return { networkId, membership: null, allowed };
  };
  if (!(await standing()).allowed) throw notFound('No such network.');
  return deliverEach(context.events.subscribe(channel, networkId), async (event) => {
    const now = await standing();
    return now.allowed ? deliver(event, now) : END;
  });
}

/** Who may subscribe to a network's events: its members and its integrations. */
export const subscriberScopes = { $any: { member: true, integration: true } } as const;

/** "membership.joined" -> "JOINED" when the prefix is given, else "MEMBERSHIP_JOINED". */
export const eventName = (type: string, dropSubject = false) =>
  (dropSubject ? type.slice(type.indexOf('.') + 1) : type.replace('.', '_')).toUpperCase();

/**
 * The subject of an event as one subscriber may see it, or null. For a member, `shared`
 * reads it once for all the subscribers the event reaches on this instance, and
 * `visibleTo` (a pure mirror of the query policy) decides with their membership in its
 * network (the one `memberEvents` read for this event); an integration's goes through
 * `forReader`, the policy's own query.
 */
export async function visibleSubject<S extends { networkId: string }, R>(
  context: Context,
  standing: Standing,
  shared: () => Promise<S | null>,
  visibleTo: (subject: S, memberId: string, membership: MembershipState | null) => boolean,
  forReader: (reader: Reader) => Promise<R | null>,
): Promise<S | R | null> {
  const reader = readerOf(context);
  if (typeof reader !== 'string') return forReader(reader);
  const subject = await shared();
  if (!subject) return null;
  // Events come on their network's channel; a subject elsewhere is checked on its own.
  const membership = subject.networkId === standing.networkId ? standing.membership : await context.services.deliveries.membership(reader, subject.networkId);
  return visibleTo(subject, reader, membership) ? subject : null;
}
