import { Repeater } from 'graphql-yoga';
import type { DomainEvent } from '../events/bus.js';

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
