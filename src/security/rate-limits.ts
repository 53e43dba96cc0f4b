import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { DomainError } from '../errors.js';
import { RATE_LIMITS, type RateLimitRule } from '../graphql/limits.js';

export type RateLimits = {
  /** Counts one attempt; throws RATE_LIMITED (with the seconds to wait) past the limit. */
  consume(rule: RateLimitRule, key: string): Promise<void>;
  close(): Promise<void>;
};

/**
 * Fixed-window counters per rule and key, on rate-limiter-flexible: in memory for one
 * instance, in Redis (shared by every instance) with REDIS_URL, falling back to memory
 * while Redis is unreachable.
 */
export function createRateLimits(redisUrl: string | null, prefix = 'tiebridge:rl'): RateLimits {
  // Commands wait for the connection (the offline queue) rather than failing while it opens.
  const client = redisUrl ? new Redis(redisUrl, { maxRetriesPerRequest: 1 }) : null;
  const limiters = new Map<RateLimitRule, RateLimiterAbstract>();
  const limiter = (rule: RateLimitRule) => {
    let found = limiters.get(rule);
    if (!found) {
      const options = { keyPrefix: `${prefix}:${rule}`, ...RATE_LIMITS[rule] };
      // If Redis fails, each instance counts in its own memory until it is back.
      found = client
        ? new RateLimiterRedis({ storeClient: client, insuranceLimiter: new RateLimiterMemory(options), ...options })
        : new RateLimiterMemory(options);
      limiters.set(rule, found);
    }
    return found;
  };
  return {
    async consume(rule, key) {
      try {
        await limiter(rule).consume(key);
      } catch (result) {
        if (!(result instanceof RateLimiterRes)) throw result;
        const seconds = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
        throw new DomainError({ code: 'RATE_LIMITED', message: `Too many attempts; try again in ${seconds} seconds.`, retryAfterSeconds: seconds });
      }
    },
    close: async () => {
      if (client) await client.quit();
    },
  };
}
