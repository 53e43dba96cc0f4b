import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { setMaxListeners } from 'node:events';
import { Redis } from 'ioredis';

/**
 * Something that happened, as written to the activity record. Only identifiers and
 * small facts travel: subscribers load what they may see when the event reaches them.
 */
export type DomainEvent = {
  /** The activity row's id: unique, increasing. */
  id: string;
  /** "<subject>.<verb>", e.g. "membership.joined". */
  type: string;
  networkId: string | null;
  actorId: string | null;
  subjectId: string | null;
  at: string;
  data: Record<string, unknown>;
};

/** The subject part of an event type: "membership" for "membership.joined". */
export const subjectOf = (type: string) => type.slice(0, type.indexOf('.'));

/** What subscribers listen to: one stream per channel and network. */
export type Channel = 'membership' | 'governance' | 'listing' | 'exchange' | 'meetup';

const CHANNEL_OF_SUBJECT: Record<string, Channel> = {
  membership: 'membership',
  proposal: 'governance',
  rule: 'governance',
  goal: 'governance',
  network: 'governance',
  listing: 'listing',
  exchange: 'exchange',
  meetup: 'meetup',
};

/** The channel an event type is published on, or null for events no subscription carries. */
export const channelOf = (type: string): Channel | null => CHANNEL_OF_SUBJECT[subjectOf(type)] ?? null;

const topicOf = (channel: Channel, networkId: string) => `${channel}:${networkId}`;

/** Sessions or API tokens that just stopped working: sockets using them are closed. */
export type Revocation = { sessionIds?: string[]; memberId?: string; exceptSessionId?: string; tokenId?: string };

export type EventBus = {
  publish(event: DomainEvent): void;
  /** Tells every instance that these sessions or this token were revoked. */
  revoke(revocation: Revocation): void;
  revocations(): AsyncIterable<Revocation>;
  /** Events of one channel in one network. */
  subscribe(channel: Channel, networkId: string): AsyncIterable<DomainEvent>;
  close(): Promise<void>;
};

/** In-memory by default; through Redis pub/sub when several instances share events. */
export function createEventBus(redisUrl: string | null): EventBus {
  const clients = redisUrl ? [new Redis(redisUrl, { maxRetriesPerRequest: 3 }), new Redis(redisUrl)] : [];
  const [publishClient, subscribeClient] = clients;
  type Topics = { event: [topic: string, event: DomainEvent]; revocation: [revocation: Revocation] };
  // In memory, one EventTarget holds a listener per subscription of a topic: many members
  // watching one network are expected, not a leak, so Node's warning at 10 is turned off.
  const local = new EventTarget();
  setMaxListeners(0, local);
  const pubsub = createPubSub<Topics>({
    eventTarget:
      publishClient && subscribeClient
        ? createRedisEventTarget({ publishClient, subscribeClient })
        : (local as unknown as NonNullable<Parameters<typeof createPubSub<Topics>>[0]>['eventTarget']),
  });
  return {
    publish: (event) => {
      const channel = channelOf(event.type);
      if (channel && event.networkId) pubsub.publish('event', topicOf(channel, event.networkId), event);
    },
    subscribe: (channel, networkId) => pubsub.subscribe('event', topicOf(channel, networkId)),
    revoke: (revocation) => pubsub.publish('revocation', revocation),
    revocations: () => pubsub.subscribe('revocation'),
    close: async () => {
      await Promise.all(clients.map((client) => client.quit()));
    },
  };
}
