import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Redis } from 'ioredis';
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { CareGraphConfig } from '../config/config-schema.js';
import { RateLimitedError } from '../errors/caregraph-error.js';
import type { Logger } from '../logging/logger.js';
import { OutageWarning } from '../logging/outage-warning.js';

/** The outcome of spending one point of a caller's budget. */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Writes the body of a refused request; the status (429) and Retry-After are already set.
 * Each route answers in its own format.
 */
export type RateLimitRefusal = (res: Response, error: RateLimitedError) => void;

/** A GraphQL response with one RATE_LIMITED error (`extensions.retryAfter` in seconds). */
const graphqlRefusal: RateLimitRefusal = (res, error) => {
  res.json({
    errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }],
  });
};

function digest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32);
}

function bearer(authorization: string | undefined): string | undefined {
  return authorization ? /^Bearer\s+(\S+)$/i.exec(authorization.trim())?.[1] : undefined;
}

/**
 * Per-caller request budget (rate-limiter-flexible, fixed window). A caller is the user a valid
 * token names, or else the client address, so anonymous and bad-token floods are limited too.
 * Keys are hashed: Redis never sees a subject or an address.
 *
 * With Redis every hub instance spends from one shared budget. When Redis cannot be reached the
 * limiter neither fails open (no protection during an outage) nor fails closed (a Redis outage
 * would take down the whole API for care teams): each instance falls back to its own in-memory
 * budget of the same size (rate-limiter-flexible's insurance limiter), so a caller gets at most
 * (instances x points) per window until Redis is back, and the fallback is logged.
 */
export class RequestRateLimiter {
  private readonly limiter: RateLimiterAbstract;
  private readonly outage: OutageWarning;

  private constructor(
    private readonly verifier: TokenVerifier,
    private readonly logger: Logger,
    limiter: RateLimiterAbstract,
    private readonly redis?: Redis,
  ) {
    this.limiter = limiter;
    this.outage = new OutageWarning(
      logger,
      'rate limiter: Redis unavailable, limiting per instance until it is back',
    );
  }

  /** A limiter for the configuration, or undefined when rate limiting is off. */
  static fromConfig(
    config: CareGraphConfig,
    verifier: TokenVerifier,
    logger: Logger,
  ): RequestRateLimiter | undefined {
    if (!config.rateLimitEnabled) return undefined;
    const budget = {
      points: config.rateLimitPoints,
      duration: config.rateLimitWindowSeconds,
      keyPrefix: config.rateLimitKeyPrefix,
    };
    const memory = new RateLimiterMemory(budget);
    if (!config.redisUrl) return new RequestRateLimiter(verifier, logger, memory);
    const redis = new Redis(config.redisUrl, {
      // Fail fast while disconnected (the insurance limiter answers) instead of queueing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      lazyConnect: true,
    });
    const limiter = new RequestRateLimiter(
      verifier,
      logger,
      new RateLimiterRedis({
        ...budget,
        storeClient: redis,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      }),
      redis,
    );
    redis.on('error', (error: Error) => limiter.outage.report(error));
    redis.on('ready', () => {
      if (limiter.outage.clear()) logger.info('rate limiter: Redis is back, budgets shared again');
    });
    return limiter;
  }

  /** Connects to Redis (when configured); the hub serves with the fallback until it answers. */
  async start(): Promise<void> {
    await this.redis?.connect().catch((error: Error) => this.outage.report(error));
  }

  /** The budget key of a caller: its user when the token verifies, else its address. */
  async keyFor(authorization: string | undefined, clientAddress: string | undefined) {
    const token = bearer(authorization);
    if (token) {
      try {
        const verified = await this.verifier.verify(token);
        const issuer = verified.isDevToken ? 'dev' : 'oidc';
        return `u:${digest(`${issuer}\n${verified.tenantId ?? ''}\n${verified.subject}`)}`;
      } catch {
        // an invalid token counts against the address it came from
      }
    }
    return `ip:${digest(clientAddress ?? 'unknown')}`;
  }

  /** Spends one point of `key`'s budget. */
  async consume(key: string): Promise<RateLimitDecision> {
    try {
      await this.limiter.consume(key);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return {
          allowed: false,
          retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)),
        };
      }
      // Neither Redis nor the insurance limiter answered: an unexpected bug, not an outage.
      // Refusing every request over it would be an outage of our own making; log and serve.
      this.logger.error({ err: { message: String(rejection) } }, 'rate limiter failed');
      return { allowed: true };
    }
  }

  /** Spends one point of the caller's budget; for the WebSocket path. */
  async consumeFor(authorization: string | undefined, clientAddress: string | undefined) {
    return this.consume(await this.keyFor(authorization, clientAddress));
  }

  /**
   * Express middleware spending one point per request: over budget it answers 429 with
   * Retry-After and the route's refusal (by default a RATE_LIMITED GraphQL error).
   */
  middleware(refuse: RateLimitRefusal = graphqlRefusal) {
    return async (req: Request, res: Response, next: NextFunction) => {
      const decision = await this.consumeFor(req.header('authorization'), req.ip);
      if (decision.allowed) return next();
      res.status(429).setHeader('retry-after', String(decision.retryAfterSeconds));
      refuse(res, RateLimitedError.retryAfter(decision.retryAfterSeconds));
    };
  }

  /** Disconnects from Redis. */
  async close(): Promise<void> {
    if (!this.redis) return;
    this.redis.removeAllListeners('error');
    this.redis.on('error', () => {});
    if (this.redis.status === 'ready') await this.redis.quit().catch(() => undefined);
    this.redis.disconnect();
  }
}
