/**
 * What every use case needs, wired once per role (`openbsp.ts`, `workers.ts`) and passed down by hand: no
 * container, no singletons. The store wakes the workers after a commit that makes work due;
 * `wake` is for work no commit announces (the simulated clock jumped, a worker freed room for more).
 */
import type { Logger } from "pino";
import type { ChatSignals } from "../carriers/chat-signals.ts";
import type { Config } from "../config.ts";
import type { Clock } from "../core/clock.ts";
import type { Storage } from "../store/storage.ts";
import type { AccountRequestLimit } from "./account-request-limit.ts";
import { AuthFailures } from "./auth-failures.ts";
import { Lookups } from "./lookups.ts";
import type { Metrics } from "./metrics.ts";
import { RateLimiter } from "./rate-limiter.ts";
import type { ReportFormatters } from "./report-formatter.ts";

export interface Wakers {
  dispatch(): void;
  webhooks(): void;
}

export interface AppContext {
  readonly config: Config;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly log: Logger;
  readonly formatters: ReportFormatters;
  readonly lookups: Lookups;
  /** Sending limits checked at accept (pair rate; throughput where the dialect refuses over it) of this node. */
  readonly limits: RateLimiter;
  /** The per-account request limit (the API role's: it takes the requests). */
  readonly requestLimit?: AccountRequestLimit;
  /** This thread's counters for /metrics. */
  readonly metrics: Metrics;
  /** Failed authentications per client address (every face and the admin API). */
  readonly authFailures: AuthFailures;
  readonly wake: Wakers;
  /** Where read receipts and typing indicators go (the API role's; the workers role sends none). */
  readonly chatSignals?: ChatSignals;
}

/** The sending limits the configuration asks for. */
export function rateLimiterFor(config: Config): RateLimiter {
  return new RateLimiter(
    config.pairBurst > 0 ? { perSecond: 1000 / config.pairIntervalMs, burst: config.pairBurst } : undefined,
  );
}

/**
 * A role's context: its own lookups (caches), sending limits and authentication-failure counts, as
 * each thread has; `extra` adds what only that role has (the API role's request limit, chat signals).
 */
export function buildContext(
  parts: Pick<AppContext, "config" | "storage" | "clock" | "log" | "formatters" | "metrics" | "wake">,
  extra: Partial<AppContext> = {},
): AppContext {
  const { config, storage } = parts;
  return {
    ...parts,
    lookups: extra.lookups ?? new Lookups(storage.catalog, storage.flows, storage.apiKeys),
    limits: rateLimiterFor(config),
    authFailures: new AuthFailures(config.authFailuresPerMinute),
    ...extra,
  };
}
