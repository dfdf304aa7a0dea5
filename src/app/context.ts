/**
 * What every use case needs, wired once in main.ts and passed down by hand: no container, no
 * singletons. `wake` lets the accept path nudge the workers so work starts without a poll delay.
 */
import type { Logger } from "pino";
import type { ChatSignals } from "../carriers/chat-signals.ts";
import type { Config } from "../config.ts";
import type { Clock } from "../core/clock.ts";
import type { Storage } from "../store/storage.ts";
import type { Lookups } from "./lookups.ts";
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
  /** Sending limits (throughput, pair rate) of this node. */
  readonly limits: RateLimiter;
  readonly wake: Wakers;
  /** Where read receipts and typing indicators go (the HTTP thread's; the engine thread sends none). */
  readonly chatSignals?: ChatSignals;
}

/** The sending limits the configuration asks for. */
export function rateLimiterFor(config: Config): RateLimiter {
  return new RateLimiter(
    config.throughputMps > 0 ? { perSecond: config.throughputMps, burst: config.throughputMps } : undefined,
    config.pairBurst > 0 ? { perSecond: 1000 / config.pairIntervalMs, burst: config.pairBurst } : undefined,
  );
}
