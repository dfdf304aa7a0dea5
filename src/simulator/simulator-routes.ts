/**
 * The sandbox API: levers on the simulated WhatsApp network (users, rules, clock, template quality)
 * and on the simulated SMSC, over the simulator's own store.
 */
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../app/context.ts";
import type { OffsetClock } from "../app/offset-clock.ts";
import { sandboxRoutes } from "./network/sandbox-routes.ts";
import { sandboxTemplateRoutes } from "./network/sandbox-template-routes.ts";
import type { SimulatorStore } from "./simulator-store.ts";
import { smsSandboxRoutes } from "./smsc/sms-sandbox-routes.ts";

export interface SimulatorApi {
  readonly store: SimulatorStore;
  readonly clock: OffsetClock;
  /** Called when the network's rules change so the simulated network rereads them. */
  readonly rulesChanged: () => void;
}

export function simulatorRoutes(app: FastifyInstance, ctx: AppContext, sim: SimulatorApi): void {
  sandboxRoutes(app, ctx, sim.store.network, sim.clock, sim.rulesChanged);
  sandboxTemplateRoutes(app, ctx);
  smsSandboxRoutes(app, ctx, sim.store.smsc);
}
