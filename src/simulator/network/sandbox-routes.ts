/**
 * The sandbox API: act as a WhatsApp user (send to a business, see what a phone received), shape
 * the simulated network with rules, and move the clock. Served only when OPENBSP_SANDBOX is on.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { type Static, Type } from "typebox";
import { findChatMessage, quoteOf } from "../../app/chat-messages.ts";
import type { AppContext } from "../../app/context.ts";
import { wamid } from "../../app/ids.ts";
import type { OffsetClock } from "../../app/offset-clock.ts";
import { receiveInbound } from "../../app/receive-inbound.ts";
import { type OpenLink, receiveInboundMedia } from "../../app/receive-inbound-media.ts";
import type { ReadReceipt } from "../../carriers/chat-signals.ts";
import type { InboundContent, InboundMedia, InboundMessage, InboundQuote } from "../../core/inbound.ts";
import type { MessageContent } from "../../core/message.ts";
import type { RouteTypeProvider } from "../../fastify/type-provider.ts";
import { MediaFetcher } from "../../media/media-fetcher.ts";
import { UploadedMediaFiles } from "../../media/uploaded-media-files.ts";
import { PATTERN } from "../number-pattern.ts";
import type { SimulatorApi } from "../simulator-api.ts";
import { type AnswerResult, answerAddress } from "./address-answer.ts";
import {
  contentOfBody,
  type InboundBody,
  InboundBodySchema,
  inboundBodyProblem,
  isTyped,
  mediaOfBody,
} from "./inbound-body.ts";
import type { SandboxRule } from "./sandbox-rule.ts";

const Problem = Type.Object({ error: Type.String() });
const FieldProblem = Type.Object({
  error: Type.String(),
  field: Type.Optional(Type.String({ description: "The field at fault, dotted" })),
});
const Phone = Type.Object({ number: Type.String({ pattern: "^[0-9]{5,24}$" }) });
const ReplyBody = Type.Object({
  messageId: Type.String({ minLength: 1, description: "The interactive message the phone received" }),
  choiceId: Type.Optional(
    Type.String({ minLength: 1, description: "The id of the reply button or list row" }),
  ),
  address: Type.Optional(
    Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 1000 }), {
      description: "An address message's answer: the form's fields by name (in_pin_code, city, …)",
    }),
  ),
  savedAddressId: Type.Optional(
    Type.String({ minLength: 1, description: "An address message's answer: one of its saved addresses" }),
  ),
});
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

export function sandboxRoutes(app: FastifyInstance, ctx: AppContext, sim: SimulatorApi): void {
  const { clock, rulesChanged } = sim;
  const network = sim.store.network;
  const files = new UploadedMediaFiles(ctx.config.dataDir);
  const fetcher = new MediaFetcher({
    allowPrivate: ctx.config.mediaAllowPrivate,
    timeoutMs: ctx.config.mediaTimeoutMs,
  });
  app.addHook("onClose", () => fetcher.close());
  const openLink: OpenLink = (url) => fetcher.download(url);
  const typed = app.withTypeProvider<RouteTypeProvider>();

  typed.post(
    "/sandbox/phones/:number/messages",
    {
      schema: {
        tags,
        summary:
          "A WhatsApp user sends a message to a business sender: a text, or any type Meta's inbound webhook has (opens the 24-hour window)",
        description:
          "Either `{to, text}`, or `{to, type, <type>: {...}, context?: {message_id}}` shaped like the message object of Meta's inbound webhook: " +
          "text, image, video, audio (voice), document, sticker (a `link` OpenBSP fetches, or base64 `data` with `mime_type`), location, contacts, " +
          "reaction, button, interactive (button_reply, list_reply, nfm_reply), order, unsupported.",
        params: Phone,
        body: InboundBodySchema,
        response: {
          202: Type.Object({ messageId: Type.String() }),
          400: FieldProblem,
          404: Problem,
          409: Problem,
        },
      },
      // Answered by inboundBodyProblem, which names the field (Ajv's errors for a union do not).
      attachValidation: true,
    },
    async (req, reply) => {
      const { number } = req.params;
      const problem = req.validationError
        ? (inboundBodyProblem(req.body) ?? { field: "body", message: req.validationError.message })
        : undefined;
      if (problem)
        return reply.code(400).send({ error: `${problem.field} ${problem.message}`, field: problem.field });
      const body: InboundBody = req.body;
      const now = ctx.clock.now();
      if (!isTyped(body)) {
        const result = await userWrites(
          ctx,
          {
            from: number,
            to: body.to,
            receivedAt: now,
            content: { type: "text", text: body.text },
            ...(body.contactName ? { contactName: body.contactName } : {}),
            ...(body.replyToMessageId ? { quote: { messageId: body.replyToMessageId, from: body.to } } : {}),
          },
          body.messageId,
          requestBase(ctx, req),
        );
        if (result.kind === "unknown-sender")
          return reply.code(404).send({ error: `no business sender ${body.to}` });
        if (result.kind === "duplicate")
          return reply.code(409).send({ error: `message id ${body.messageId} is already used` });
        return reply.code(202).send({ messageId: result.messageId });
      }
      const sender = await ctx.storage.catalog.findSender(body.to);
      if (!sender) return reply.code(404).send({ error: `no business sender ${body.to}` });
      const unknown = (field: string, id: string) =>
        reply.code(400).send({
          error: `${field} ${id} is no message of the chat between ${body.to} and ${number}`,
          field,
        });
      let quote: InboundQuote | undefined;
      if (body.context) {
        const quoted = await findChatMessage(ctx, sender, number, body.context.message_id);
        if (!quoted) return unknown("context.message_id", body.context.message_id);
        quote = quoteOf(quoted, body.context.message_id, sender, number, now);
      }
      if (
        body.type === "reaction" &&
        !(await findChatMessage(ctx, sender, number, body.reaction.message_id))
      ) {
        return unknown("reaction.message_id", body.reaction.message_id);
      }
      if (
        body.type === "interactive" &&
        body.interactive.type === "nfm_reply" &&
        !isJson(body.interactive.nfm_reply.response_json)
      ) {
        const field = "interactive.nfm_reply.response_json";
        return reply.code(400).send({ error: `${field} must be JSON text`, field });
      }
      let media: InboundMedia | undefined;
      const wanted = mediaOfBody(body);
      if (wanted) {
        const stored = await receiveInboundMedia(ctx, files, openLink, {
          ...wanted,
          sender,
          from: number,
          field: body.type,
        });
        if (stored.kind === "invalid") {
          return reply
            .code(400)
            .send({ error: `${stored.error.field} ${stored.error.message}`, field: stored.error.field });
        }
        media = stored.media;
      }
      const result = await userWrites(
        ctx,
        {
          from: number,
          to: body.to,
          receivedAt: now,
          content: contentOfBody(body, media),
          ...(body.contactName ? { contactName: body.contactName } : {}),
          ...(quote ? { quote } : {}),
        },
        body.messageId,
        requestBase(ctx, req),
      );
      if (result.kind !== "received" && media) {
        // Nothing was received: the media it carried is nobody's.
        await ctx.storage.media.delete(media.id);
        await files.remove(media.id);
      }
      if (result.kind === "unknown-sender")
        return reply.code(404).send({ error: `no business sender ${body.to}` });
      if (result.kind === "duplicate")
        return reply.code(409).send({ error: `message id ${body.messageId} is already used` });
      return reply.code(202).send({ messageId: result.messageId });
    },
  );

  typed.post(
    "/sandbox/phones/:number/replies",
    {
      schema: {
        tags,
        summary:
          "The user taps a reply button, picks a list row, or sends the address an address message asks for",
        params: Phone,
        body: ReplyBody,
        response: { 202: Type.Object({ messageId: Type.String() }), 400: Problem, 404: Problem },
      },
    },
    async (req, reply) => {
      const { number } = req.params;
      const { body } = req;
      const received = (await network.listHandsetMessages(number)).find(
        (m) => m.messageId === body.messageId,
      );
      if (!received || received.state === "in_transit") {
        return reply.code(404).send({ error: `phone ${number} has not received message ${body.messageId}` });
      }
      const answered = answerOf(received.content, body);
      if (!answered.ok)
        return reply.code(400).send({ error: `message ${body.messageId}: ${answered.error}` });
      const choice = answered.content;
      const result = await userWrites(
        ctx,
        {
          from: number,
          to: received.sender,
          receivedAt: ctx.clock.now(),
          content: choice,
          quote: { messageId: received.messageId, from: received.sender },
        },
        undefined,
        requestBase(ctx, req),
      );
      if (result.kind !== "received")
        return reply.code(404).send({ error: `no business sender ${received.sender}` });
      return reply.code(202).send({ messageId: result.messageId });
    },
  );

  typed.get(
    "/sandbox/phones/:number/messages",
    {
      schema: {
        tags,
        summary:
          "What a simulated phone has received; what its user sent, with when the business read it (readByBusinessAt); which businesses are typing (until when)",
        params: Phone,
      },
    },
    async (req) => {
      const { number } = req.params;
      const now = ctx.clock.now();
      const [messages, sent, receipts, typing] = await Promise.all([
        network.listHandsetMessages(number),
        ctx.storage.conversations.listInboundFrom(number),
        network.listReadReceipts(number),
        network.typingIndicators(number, now),
      ]);
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
        sent: sent.map((m) => {
          const readAt = readByBusinessAt(receipts, m.to, m.receivedAt);
          return {
            messageId: m.messageId,
            to: m.to,
            content: m.content,
            sentAt: new Date(m.receivedAt).toISOString(),
            ...(readAt !== undefined ? { readByBusinessAt: new Date(readAt).toISOString() } : {}),
          };
        }),
        typing: typing.map((t) => ({ sender: t.sender, until: new Date(t.until).toISOString() })),
      };
    },
  );

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
      clock.advance(req.body.ms);
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

/** The user's answer to a received message: a tap on a choice, or an address message's address. */
function answerOf(content: MessageContent, body: Static<typeof ReplyBody>): AnswerResult {
  const addressGiven = body.address !== undefined || body.savedAddressId !== undefined;
  if (content.type === "interactive_address") {
    if (!addressGiven)
      return { ok: false, error: "an address message is answered with address or savedAddressId" };
    return answerAddress(content, {
      ...(body.address ? { address: body.address } : {}),
      ...(body.savedAddressId ? { savedAddressId: body.savedAddressId } : {}),
    });
  }
  if (addressGiven) return { ok: false, error: "address and savedAddressId answer address messages only" };
  if (body.choiceId === undefined) return { ok: false, error: "choiceId is required" };
  const choice = chosen(content, body.choiceId);
  return choice
    ? { ok: true, content: choice }
    : { ok: false, error: `has no button or row ${body.choiceId}` };
}

/**
 * When the business first read a message the user sent it at `sentAt`: marking a message read
 * marks the earlier ones of the chat read too, as WhatsApp does.
 */
function readByBusinessAt(
  receipts: readonly ReadReceipt[],
  sender: string,
  sentAt: number,
): number | undefined {
  let first: number | undefined;
  for (const r of receipts) {
    if (r.sender === sender && r.sentAt >= sentAt && (first === undefined || r.readAt < first))
      first = r.readAt;
  }
  return first;
}

/** The reply a tap on `choiceId` produces, if the message offers that choice. */
function chosen(content: MessageContent, choiceId: string): InboundContent | undefined {
  if (content.type === "interactive_buttons") {
    const b = content.buttons.find((x) => x.id === choiceId);
    return b && { type: "button_reply", id: b.id, title: b.title };
  }
  if (content.type === "interactive_list") {
    const r = content.sections.flatMap((s) => s.rows).find((x) => x.id === choiceId);
    return (
      r && {
        type: "list_reply",
        id: r.id,
        title: r.title,
        ...(r.description ? { description: r.description } : {}),
      }
    );
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

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
