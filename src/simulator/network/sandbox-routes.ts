/**
 * The sandbox API: act as a WhatsApp user (send to a business, see what a phone received), shape
 * the simulated network with rules, and move the clock. Served only when OPENBSP_SANDBOX is on.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type, type Static } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { wamid } from "../../app/ids.ts";
import type { OffsetClock } from "../../app/offset-clock.ts";
import type { SimulatorApi } from "../simulator-api.ts";
import { receiveInbound } from "../../app/receive-inbound.ts";
import type { InboundContent, InboundMessage } from "../../core/inbound.ts";
import type { MessageContent } from "../../core/message.ts";
import { PATTERN } from "../number-pattern.ts";
import type { SandboxRule } from "./sandbox-rule.ts";

const Problem = Type.Object({ error: Type.String() });
const Phone = Type.Object({ number: Type.String({ pattern: "^[0-9]{5,24}$" }) });
const InboundBody = Type.Object({
  to: Type.String({ minLength: 1, description: "The business sender number" }),
  text: Type.String({ minLength: 1, maxLength: 4096 }),
  messageId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  contactName: Type.Optional(Type.String({ maxLength: 200 })),
  replyToMessageId: Type.Optional(Type.String()),
});
const ReplyBody = Type.Object({
  messageId: Type.String({ minLength: 1, description: "The interactive message the phone received" }),
  choiceId: Type.String({ minLength: 1, description: "The id of the reply button or list row" }),
});
const RuleBody = Type.Object({
  id: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  pattern: Type.String({ pattern: PATTERN.source, description: "Digits; * matches any run of digits" }),
  behaviour: Type.Enum(["deliver", "offline", "not_whatsapp", "fail"]),
  deliverDelayMs: Type.Optional(Type.Integer({ minimum: 0 })),
  readDelayMs: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()], { description: "null: never read" })),
  errorCode: Type.Optional(Type.Integer()),
  errorTitle: Type.Optional(Type.String()),
});
const tags = ["Sandbox"];

export function sandboxRoutes(app: FastifyInstance, ctx: AppContext, sim: SimulatorApi): void {
  const { clock, rulesChanged } = sim;
  const network = sim.store.network;
  app.post(
    "/sandbox/phones/:number/messages",
    { schema: { tags, summary: "A WhatsApp user sends a text to a business sender (opens the 24-hour window)", params: Phone, body: InboundBody, response: { 202: Type.Object({ messageId: Type.String() }), 404: Problem, 409: Problem } } },
    async (req, reply) => {
      const { number } = req.params as Static<typeof Phone>;
      const body = req.body as Static<typeof InboundBody>;
      const result = await userWrites(
        ctx,
        {
          from: number,
          to: body.to,
          receivedAt: ctx.clock.now(),
          content: { type: "text", text: body.text },
          ...(body.contactName ? { contactName: body.contactName } : {}),
          ...(body.replyToMessageId ? { quote: { messageId: body.replyToMessageId, from: body.to } } : {}),
        },
        body.messageId,
        requestBase(ctx, req),
      );
      if (result.kind === "unknown-sender") return reply.code(404).send({ error: `no business sender ${body.to}` });
      if (result.kind === "duplicate") return reply.code(409).send({ error: `message id ${body.messageId} is already used` });
      return reply.code(202).send({ messageId: result.messageId });
    },
  );

  app.post(
    "/sandbox/phones/:number/replies",
    {
      schema: {
        tags,
        summary: "The user taps a reply button or picks a list row of a message the phone received",
        params: Phone,
        body: ReplyBody,
        response: { 202: Type.Object({ messageId: Type.String() }), 400: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const { number } = req.params as Static<typeof Phone>;
      const body = req.body as Static<typeof ReplyBody>;
      const received = (await network.listHandsetMessages(number)).find((m) => m.messageId === body.messageId);
      if (!received || received.state === "in_transit") {
        return reply.code(404).send({ error: `phone ${number} has not received message ${body.messageId}` });
      }
      const choice = chosen(received.content, body.choiceId);
      if (!choice) return reply.code(400).send({ error: `message ${body.messageId} has no button or row ${body.choiceId}` });
      const result = await userWrites(ctx, {
        from: number,
        to: received.sender,
        receivedAt: ctx.clock.now(),
        content: choice,
        quote: { messageId: received.messageId, from: received.sender },
      }, undefined, requestBase(ctx, req));
      if (result.kind !== "received") return reply.code(404).send({ error: `no business sender ${received.sender}` });
      return reply.code(202).send({ messageId: result.messageId });
    },
  );

  app.get(
    "/sandbox/phones/:number/messages",
    { schema: { tags, summary: "What a simulated phone has received", params: Phone } },
    async (req) => {
      const { number } = req.params as Static<typeof Phone>;
      const messages = await network.listHandsetMessages(number);
      return {
        messages: messages.map((m) => ({
          messageId: m.messageId,
          from: m.sender,
          content: m.content,
          ...(m.replyTo ? { context: { messageId: m.replyTo } } : {}),
          ...(m.media ? { media: m.media } : {}),
          ...(m.cardMedia ? { cardMedia: m.cardMedia } : {}),
          state: m.state,
          receivedAt: new Date(m.receivedAt).toISOString(),
        })),
      };
    },
  );

  app.get("/sandbox/rules", { schema: { tags, summary: "List network rules" } }, async () => ({
    rules: await network.listSandboxRules(),
  }));

  app.post(
    "/sandbox/rules",
    { schema: { tags, summary: "Add or replace a rule for numbers matching a pattern", body: RuleBody } },
    async (req, reply) => {
      const body = req.body as Static<typeof RuleBody>;
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

  app.delete(
    "/sandbox/rules/:id",
    { schema: { tags, summary: "Remove a rule", params: Type.Object({ id: Type.String() }) } },
    async (req, reply) => {
      const deleted = await network.deleteSandboxRule((req.params as { id: string }).id);
      rulesChanged();
      return deleted ? reply.code(204).send() : reply.code(404).send({ error: "no such rule" });
    },
  );

  app.get("/sandbox/clock", { schema: { tags, summary: "The simulated clock" } }, async () => clockState(clock));

  app.post(
    "/sandbox/clock/advance",
    { schema: { tags, summary: "Move the clock forward (windows close, TTLs run out)", body: Type.Object({ ms: Type.Integer({ minimum: 0, maximum: 3_650 * 86_400_000, description: "At most ten years at a time" }) }) } },
    async (req) => {
      clock.advance((req.body as { ms: number }).ms);
      await network.saveClockOffset(clock.offsetMs);
      ctx.wake.dispatch();
      sim.wakeHandsets();
      ctx.wake.webhooks();
      return clockState(clock);
    },
  );
}

/**
 * Stores what a simulated user wrote. Without a client id, the n-th message of a user to a sender
 * gets the same id on every run (reproducible); two written at the same moment both get one.
 */
async function userWrites(
  ctx: AppContext,
  message: Omit<InboundMessage, "messageId">,
  clientId?: string,
  publicBase?: string,
): Promise<{ kind: "received"; messageId: string } | { kind: "unknown-sender" } | { kind: "duplicate" }> {
  for (let attempt = 0; ; attempt++) {
    const n = (await ctx.storage.conversations.inboundCount(message.to, message.from)) + attempt;
    const messageId = clientId ?? wamid(message.from, message.to, n);
    const result = await receiveInbound(ctx, { ...message, messageId }, publicBase);
    if (result.kind === "received") return { kind: "received", messageId };
    if (result.kind === "unknown-sender" || clientId !== undefined || attempt >= 20) {
      return result.kind === "unknown-sender" ? result : { kind: "duplicate" };
    }
  }
}

/** The reply a tap on `choiceId` produces, if the message offers that choice. */
function chosen(content: MessageContent, choiceId: string): InboundContent | undefined {
  if (content.type === "interactive_buttons") {
    const b = content.buttons.find((x) => x.id === choiceId);
    return b && { type: "button_reply", id: b.id, title: b.title };
  }
  if (content.type === "interactive_list") {
    const r = content.sections.flatMap((s) => s.rows).find((x) => x.id === choiceId);
    return r && { type: "list_reply", id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) };
  }
  return undefined;
}

/**
 * OpenBSP's base URL as the sandbox's caller reached it (media URLs in inbound webhooks), as the
 * faces' `publicBase` words it; the simulator imports no face.
 */
function requestBase(ctx: AppContext, req: FastifyRequest): string {
  return ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;
}

function clockState(clock: OffsetClock) {
  return { now: new Date(clock.now()).toISOString(), offsetMs: clock.offsetMs };
}
