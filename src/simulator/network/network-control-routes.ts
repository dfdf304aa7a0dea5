/**
 * The sandbox API's levers on the simulated network: rules per number pattern (deliver, offline,
 * not on WhatsApp, fail with a code) and the simulated clock, which only moves forward.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import type { OffsetClock } from "../../app/offset-clock.ts";
import type { RouteTypeProvider } from "../../fastify/type-provider.ts";
import { PATTERN } from "../number-pattern.ts";
import type { SimulatorApi } from "../simulator-api.ts";
import type { SandboxRule } from "./sandbox-rule.ts";

const RuleBody = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  pattern: Type.String({ pattern: PATTERN.source, description: "Digits; * matches any run of digits" }),
  behaviour: Type.Enum(["deliver", "offline", "not_whatsapp", "fail"]),
  deliverDelayMs: Type.Optional(Type.Integer({ minimum: 0 })),
  readDelayMs: Type.Optional(
    Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: "null: never read" }),
  ),
  errorCode: Type.Optional(Type.Integer()),
  errorTitle: Type.Optional(Type.String()),
});
const tags = ["Sandbox"];

export function networkControlRoutes(app: FastifyInstance, ctx: AppContext, sim: SimulatorApi): void {
  const { clock, rulesChanged } = sim;
  const network = sim.store.network;
  const typed = app.withTypeProvider<RouteTypeProvider>();

  typed.get("/sandbox/rules", { schema: { tags, summary: "List network rules" } }, async () => ({
    rules: await network.listSandboxRules(),
  }));

  typed.post(
    "/sandbox/rules",
    { schema: { tags, summary: "Add or replace a rule for numbers matching a pattern", body: RuleBody } },
    async (req, reply) => {
      const { body } = req;
      const rule: SandboxRule = {
        id: body.id ?? `rule-${body.pattern}`,
        pattern: body.pattern,
        behaviour: body.behaviour,
        createdAt: Date.now(),
        ...(body.deliverDelayMs !== undefined ? { deliverDelayMs: body.deliverDelayMs } : {}),
        ...(body.readDelayMs !== undefined ? { readDelayMs: body.readDelayMs } : {}),
        ...(body.errorCode !== undefined ? { errorCode: body.errorCode } : {}),
        ...(body.errorTitle !== undefined ? { errorTitle: body.errorTitle } : {}),
      };
      await network.putSandboxRule(rule);
      rulesChanged();
      return reply.code(201).send(rule);
    },
  );

  typed.delete(
    "/sandbox/rules/:id",
    { schema: { tags, summary: "Remove a rule", params: Type.Object({ id: Type.String() }) } },
    async (req, reply) => {
      const deleted = await network.deleteSandboxRule(req.params.id);
      rulesChanged();
      return deleted ? reply.code(204).send() : reply.code(404).send({ error: "no such rule" });
    },
  );

  typed.get("/sandbox/clock", { schema: { tags, summary: "The simulated clock" } }, async () =>
    clockState(clock),
  );

  typed.post(
    "/sandbox/clock/advance",
    {
      schema: {
        tags,
        summary: "Move the clock forward (windows close, TTLs run out)",
        body: Type.Object({
          ms: Type.Integer({
            minimum: 0,
            maximum: 3_650 * 86_400_000,
            description: "At most ten years at a time",
          }),
        }),
      },
    },
    async (req) => {
      // Stored first, atomically: another node advancing at the same time adds to it, not over it.
      clock.catchUp(await network.advanceClockOffset(req.body.ms));
      ctx.wake.dispatch();
      sim.wakeHandsets();
      ctx.wake.webhooks();
      return clockState(clock);
    },
  );
}

function clockState(clock: OffsetClock) {
  return { now: new Date(clock.now()).toISOString(), offsetMs: clock.offsetMs };
}
