/**
 * The per-account request limit (Infobip allows 4,000 send requests per second per account):
 * one point per send request, however many messages it carries, counted with
 * rate-limiter-flexible. In this process by default (one node: SQLite mode); in Redis when
 * `OPENBSP_RATE_LIMIT_REDIS_URL` is set, so the limit holds for a whole cluster, with an
 * in-process limiter as insurance while Redis cannot be reached.
 */
import type { Logger } from "pino";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Config } from "../config.ts";

export type RequestLimitCheck = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

const OK: RequestLimitCheck = { ok: true };

export interface AccountRequestLimit {
  /** Counts one send request of `accountId`. */
  take(accountId: string): Promise<RequestLimitCheck>;
  close(): Promise<void>;
}

class FlexibleLimit implements AccountRequestLimit {
  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly log: Logger,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {}

  take(accountId: string): Promise<RequestLimitCheck> {
    return this.limiter.consume(accountId).then(
      () => OK,
      (rejection: unknown) => {
        if (rejection instanceof RateLimiterRes)
          return { ok: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
        // The store failed and no insurance answered: let the request through rather than refuse
        // every send because a counter is out of reach.
        this.log.error({ err: rejection }, "account request limit unavailable; request let through");
        return OK;
      },
    );
  }

  close(): Promise<void> {
    return this.onClose();
  }
}

/** Everything passes: the limit is off (0). */
const UNLIMITED: AccountRequestLimit = { take: async () => OK, close: async () => {} };

/** The limit the configuration asks for; Redis is loaded only when it is used. */
export async function accountRequestLimitFor(config: Config, log: Logger): Promise<AccountRequestLimit> {
  const points = config.accountRequestsPerSecond;
  if (points === 0) return UNLIMITED;
  const inProcess = new RateLimiterMemory({ points, duration: 1, keyPrefix: "openbsp-account" });
  if (!config.rateLimitRedisUrl) return new FlexibleLimit(inProcess, log);
  const [{ Redis }, { RateLimiterRedis }] = await Promise.all([
    import("ioredis"),
    import("rate-limiter-flexible"),
  ]);
  const redis = new Redis(config.rateLimitRedisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
  });
  redis.on("error", (err) => log.warn({ err }, "rate-limit Redis connection error"));
  await redis
    .connect()
    .catch((err) => log.warn({ err }, "rate-limit Redis not reachable; limiting in process"));
  const shared = new RateLimiterRedis({
    storeClient: redis,
    points,
    duration: 1,
    keyPrefix: "openbsp-account",
    insuranceLimiter: inProcess,
  });
  return new FlexibleLimit(shared, log, async () => {
    redis.disconnect();
  });
}
