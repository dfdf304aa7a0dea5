/** What the sandbox API (on the HTTP thread) is given of the simulator. */
import type { ActivityEvent } from "../app/activity-feed.ts";
import type { OffsetClock } from "../app/offset-clock.ts";
import type { SimulatorStore } from "./simulator-store.ts";

export interface SimulatorApi {
  readonly store: SimulatorStore;
  readonly clock: OffsetClock;
  /** Called when the network's rules change so the simulated network rereads them. */
  readonly rulesChanged: () => void;
  /** Nudges the simulated phones (their work loop) after the clock moved. */
  readonly wakeHandsets: () => void;
  /** Tells whoever watches live (the console's event stream) what a user did; a no-op when nobody does. */
  readonly activity?: (event: ActivityEvent) => void;
}
