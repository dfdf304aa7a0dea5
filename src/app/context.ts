/**
 * What every use case needs, wired once in main.ts and passed down by hand: no container, no
 * singletons. `wake` lets the accept path nudge the workers so work starts without a poll delay.
 */
import type { Logger } from "pino";
import type { Config } from "../config.ts";
import type { Clock } from "../core/clock.ts";
import type { Store } from "../store/store.ts";
import type { Lookups } from "./lookups.ts";
import type { ReportFormatters } from "./report-formatter.ts";

export interface Wakers {
  dispatch(): void;
  webhooks(): void;
  handsets(): void;
}

export interface AppContext {
  readonly config: Config;
  readonly store: Store;
  readonly clock: Clock;
  readonly log: Logger;
  readonly formatters: ReportFormatters;
  readonly lookups: Lookups;
  readonly wake: Wakers;
}
