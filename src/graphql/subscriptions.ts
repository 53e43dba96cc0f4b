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

/**
 * The events of one channel of a network, for a subscriber who is an active member of
 * it: NOT_FOUND when they are not (as if the network did not exist), and the stream
 * ends when they stop being one. `deliver` shapes each event or returns null to skip it.
 */
export async function memberEvents<T>(
  context: Context,
  channel: Channel,
  networkGlobalId: string,
  deliver: (event: DomainEvent) => Promise<T | null>,
): Promise<AsyncIterable<T>> {
  const networkId = localId(networkGlobalId, 'Network');
  const { deliveries, integrations } = context.services;
  const memberId = context.viewer?.memberId;
  const integration = context.integration;
  // Members while they are active; an integration while its token is not revoked.
  // (Checked again for every event, batched with the other subscribers it reaches.)
  const allowed = async () =>
    networkId !== null &&
    (memberId
      ? (await deliveries.membership(memberId, networkId))?.status === 'ACTIVE'
      : integration !== null && integration.networkId === networkId && integrations.isTokenActive(integration.tokenId));
  if (!(await allowed())) throw notFound('No such network.');
  return deliverEach(context.events.subscribe(channel, networkId!), async (event) => ((await allowed()) ? deliver(event) : END));
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
 * network, from the same batched read; an integration's goes through `forReader`, the
 * policy's own query.
 */
export async function visibleSubject<S extends { networkId: string }, R>(
  context: Context,
  shared: () => Promise<S | null>,
  visibleTo: (subject: S, memberId: string, membership: MembershipState | null) => boolean,
  forReader: (reader: Reader) => Promise<R | null>,
): Promise<S | R | null> {
  const reader = readerOf(context);
  if (typeof reader !== 'string') return forReader(reader);
  const subject = await shared();
  return subject && visibleTo(subject, reader, await context.services.deliveries.membership(reader, subject.networkId)) ? subject : null;
}
