/**
 * The sandbox API: levers on the simulated WhatsApp network (users, rules, clock, template quality)
 * and on the simulated SMSC, over the simulator's own store.
 */
import type { FastifyInstance } from "fastify";
import type { AppContext } from "../app/context.ts";
import { networkControlRoutes } from "./network/network-control-routes.ts";
import { phoneRoutes } from "./network/phone-routes.ts";
import { sandboxTemplateRoutes } from "./network/sandbox-template-routes.ts";
import { unbuiltFaultRoutes } from "./network/unbuilt-fault-routes.ts";
import type { SimulatorApi } from "./simulator-api.ts";
import { smsSandboxRoutes } from "./smsc/sms-sandbox-routes.ts";

export function simulatorRoutes(app: FastifyInstance, ctx: AppContext, sim: SimulatorApi): void {
  phoneRoutes(app, ctx, sim);
  networkControlRoutes(app, ctx, sim);
  sandboxTemplateRoutes(app, ctx);
  smsSandboxRoutes(app, ctx, sim.store.smsc);
  unbuiltFaultRoutes(app);
}
