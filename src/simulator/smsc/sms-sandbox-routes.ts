/**
 * The simulated SMSC's sandbox API: what it received for a number (the SMS failovers that went
 * out, with the sender and text as submitted over SMPP) and its per-number rules.
 */
import type { FastifyInstance } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import type { RouteTypeProvider } from "../../fastify/type-provider.ts";
import { PATTERN } from "../number-pattern.ts";
import type { SmscRule } from "./smsc-rule.ts";
import type { SmscStore } from "./smsc-store.ts";

const Problem = Type.Object({ error: Type.String() });
const Number_ = Type.Object({ number: Type.String({ pattern: "^[0-9]{3,24}$" }) });
const RuleBody = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  pattern: Type.String({ pattern: PATTERN.source, description: "Digits; * matches any run of digits" }),
  behaviour: Type.Enum(["deliver", "undeliverable", "reject"], {
    description:
      "deliver: receipt DELIVRD; undeliverable: receipt UNDELIV with errorCode; reject: submit_sm refused (ESME_RINVDSTADR)",
  }),
  errorCode: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 999,
      description: "The receipt's err (GSM MAP code; default 1, unknown subscriber)",
    }),
  ),
});
const tags = ["Sandbox: SMS"];

export function smsSandboxRoutes(app: FastifyInstance, ctx: AppContext, smsc: SmscStore): void {
  const typed = app.withTypeProvider<RouteTypeProvider>();
  const off = ctx.config.smppUrl
    ? `the simulated SMSC is off: SMS go to the SMSC at OPENBSP_SMPP_URL (${ctx.config.smppUrl})`
    : undefined;

  typed.get(
    "/sandbox/sms/:number/messages",
    {
      schema: {
        tags,
        summary: "What the simulated SMSC received for a number (SMS failovers)",
        params: Number_,
        response: { 404: Problem },
      },
    },
    async (req, reply) => {
      if (off) return reply.code(404).send({ error: off });
      const { number } = req.params;
      const messages = await smsc.listSmscMessages(number);
      return {
        messages: messages.map((m) => ({
          smscMessageId: m.id,
          from: m.from,
          to: m.to,
          text: m.text,
          dataCoding: m.dataCoding,
          outcome: m.outcome,
          receipt: m.receipt,
          receivedAt: new Date(m.receivedAt).toISOString(),
        })),
      };
    },
  );

  typed.get(
    "/sandbox/sms/rules",
    { schema: { tags, summary: "List the simulated SMSC's rules" } },
    async () => ({
      rules: await smsc.listSmscRules(),
    }),
  );

  typed.post(
    "/sandbox/sms/rules",
    {
      schema: {
        tags,
        summary: "Add or replace a simulated SMSC rule for numbers matching a pattern",
        body: RuleBody,
      },
    },
    async (req, reply) => {
      const { body } = req;
      const rule: SmscRule = {
        id: body.id ?? `sms-rule-${body.pattern}`,
        pattern: body.pattern,
        behaviour: body.behaviour,
        createdAt: Date.now(),
        ...(body.errorCode !== undefined ? { errorCode: body.errorCode } : {}),
      };
      await smsc.putSmscRule(rule);
      return reply.code(201).send(rule);
    },
  );

  typed.delete(
    "/sandbox/sms/rules/:id",
    { schema: { tags, summary: "Remove a simulated SMSC rule", params: Type.Object({ id: Type.String() }) } },
    async (req, reply) => {
      const deleted = await smsc.deleteSmscRule(req.params.id);
      return deleted ? reply.code(204).send() : reply.code(404).send({ error: "no such rule" });
    },
  );
}
