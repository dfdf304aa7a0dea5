/**
 * The per-account request limit (Infobip allows 4,000 send requests per second per account):
 * one point per send request, however many messages it carries, counted with
 * rate-limiter-flexible. In this process on SQLite (one node); for a whole cluster in Redis when
 * `OPENBSP_RATE_LIMIT_REDIS_URL` is set, else on PostgreSQL in the nodes' database (table
 * account_request_limits, made by the migrations); with an in-process limiter as insurance while
 * the shared store cannot be reached.
 */
import type { Logger } from "pino";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Config } from "../config.ts";

export type RequestLimitCheck = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

const OK: RequestLimitCheck = { ok: true };

export interface AccountRequestLimit {
  /**
   * Counts one send request of `accountId`: at once while this node holds points for it (the
   * common case: no promise, no allocation), else after reserving more from the limiter.
   */
  take(accountId: string): RequestLimitCheck | Promise<RequestLimitCheck>;
  close(): Promise<void>;
}

/** Points this node reserved from the limiter for an account, good until the limiter's window ends. */
interface Held {
  tokens: number;
  until: number;
}

/**
 * The limiter's points taken a chunk at a time (a hundredth of the limit, at most 50): the
 * limiter (and Redis, in a cluster) is asked once per chunk, not once per request. The sum over
 * the nodes stays within the limit; a chunk reserved but not used before its window ends, or
 * refused because fewer points remain than a chunk, is not used by anyone, so the account may get
 * up to a chunk less than its limit per second and node (none below 200 requests per second).
 */
class ChunkedLimit implements AccountRequestLimit {
  readonly #held = new Map<string, Held>();
  readonly #reserving = new Map<string, Promise<RequestLimitCheck>>();
  readonly #chunk: number;

  constructor(
    private readonly limiter: RateLimiterAbstract,
    points: number,
    private readonly log: Logger,
    private readonly onClose: () => Promise<void> = async () => {},
  ) {
    this.#chunk = Math.max(1, Math.min(50, Math.floor(points / 100)));
  }

  take(accountId: string): RequestLimitCheck | Promise<RequestLimitCheck> {
    const held = this.#held.get(accountId);
    if (held !== undefined && held.tokens > 0 && Date.now() < held.until) {
      held.tokens--;
      return OK;
    }
    // Requests that find no points while a reservation is under way wait for it, then try again.
    const pending = this.#reserving.get(accountId);
    if (pending) return pending.then((r) => (r.ok ? this.take(accountId) : r));
    const reserving = this.#reserve(accountId);
    this.#reserving.set(accountId, reserving);
    return reserving;
  }

  #reserve(accountId: string): Promise<RequestLimitCheck> {
    return this.limiter.consume(accountId, this.#chunk).then(
      (res) => {
        this.#reserving.delete(accountId);
        this.#held.set(accountId, { tokens: this.#chunk - 1, until: Date.now() + res.msBeforeNext });
        return OK;
      },
      (rejection: unknown) => {
        this.#reserving.delete(accountId);
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
const UNLIMITED: AccountRequestLimit = { take: () => OK, close: async () => {} };

/** The limit the configuration asks for; Redis is loaded only when it is used. */
export async function accountRequestLimitFor(config: Config, log: Logger): Promise<AccountRequestLimit> {
  const points = config.accountRequestsPerSecond;
  if (points === 0) return UNLIMITED;
  const inProcess = new RateLimiterMemory({ points, duration: 1, keyPrefix: "openbsp-account" });
  if (config.rateLimitRedisUrl) return redisLimit(config.rateLimitRedisUrl, points, inProcess, log);
  if (config.databaseUrl) return postgresLimit(config.databaseUrl, points, inProcess, log);
  return new ChunkedLimit(inProcess, points, log);
}

/** The limit counted in Redis, shared by every node that names the same Redis. */
async function redisLimit(
  url: string,
  points: number,
  inProcess: RateLimiterMemory,
  log: Logger,
): Promise<AccountRequestLimit> {
  const [{ Redis }, { RateLimiterRedis }] = await Promise.all([
    import("ioredis"),
    import("rate-limiter-flexible"),
  ]);
  const redis = new Redis(url, {
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
  return new ChunkedLimit(shared, points, log, async () => {
    redis.disconnect();
  });
}

/**
 * The limit counted in the nodes' PostgreSQL database (one row per account and window, upserted
 * atomically), on a small pool of its own so a busy store does not delay the count.
 */
async function postgresLimit(
  url: string,
  points: number,
  inProcess: RateLimiterMemory,
  log: Logger,
): Promise<AccountRequestLimit> {
  const [{ default: pg }, { RateLimiterPostgres }] = await Promise.all([
    import("pg"),
    import("rate-limiter-flexible"),
  ]);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  pool.on("error", (err) => log.warn({ err }, "rate-limit PostgreSQL connection error"));
  const shared = new RateLimiterPostgres({
    storeClient: pool,
    storeType: "pool",
    tableName: "account_request_limits",
    tableCreated: true,
    points,
    duration: 1,
    keyPrefix: "openbsp-account",
    insuranceLimiter: inProcess,
  });
  return new ChunkedLimit(shared, points, log, () => pool.end());
}
