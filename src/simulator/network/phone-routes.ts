/**
 * The sandbox API's phones: act as a WhatsApp user (send a business every type of message, answer
 * a received one, see what a phone received and what the business read). Rules and the clock are
 * in `network-control-routes.ts`. Served only when OPENBSP_SANDBOX is on.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { Type } from "typebox";
import { findChatMessage, quoteOf } from "../../app/chat-messages.ts";
import type { AppContext } from "../../app/context.ts";
import { wamid } from "../../app/ids.ts";
import { receiveInbound } from "../../app/receive-inbound.ts";
import { type OpenLink, receiveInboundMedia } from "../../app/receive-inbound-media.ts";
import type { ReadReceipt } from "../../carriers/chat-signals.ts";
import type { InboundMedia, InboundMessage, InboundQuote } from "../../core/inbound.ts";
import type { RouteTypeProvider } from "../../fastify/type-provider.ts";
import { MediaFetcher } from "../../media/media-fetcher.ts";
import { UploadedMediaFiles } from "../../media/uploaded-media-files.ts";
import type { SimulatorApi } from "../simulator-api.ts";
import { completeFlow, FlowReplyBody } from "./flow-completion.ts";
import { type InboundBody, InboundBodySchema, inboundBodyProblem, isTyped } from "./inbound-body.ts";
import { contentOfBody, mediaOfBody } from "./inbound-body-content.ts";
import { answerOf, ReplyBody } from "./received-answer.ts";

const Problem = Type.Object({ error: Type.String() });
const FieldProblem = Type.Object({
  error: Type.String(),
  field: Type.Optional(Type.String({ description: "The field at fault, dotted" })),
});
const Phone = Type.Object({ number: Type.String({ pattern: "^[0-9]{5,24}$" }) });
const tags = ["Sandbox"];

export function phoneRoutes(app: FastifyInstance, ctx: AppContext, sim: SimulatorApi): void {
  const network = sim.store.network;
  const files = new UploadedMediaFiles(ctx.config.mediaDir);
  const fetcher = new MediaFetcher({
    allowPrivate: ctx.config.mediaAllowPrivate,
    timeoutMs: ctx.config.mediaTimeoutMs,
  });
  app.addHook("onClose", () => fetcher.close());
  const openLink: OpenLink = (url) => fetcher.download(url);
  const typed = app.withTypeProvider<RouteTypeProvider>();
  // Told to whoever watches live (the console), after the message is stored.
  const announce = (from: string, to: string, messageId: string) =>
    sim.activity?.({ type: "inbound", messageId, from, to, at: ctx.clock.now() });

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
        announce(number, body.to, result.messageId);
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
      announce(number, body.to, result.messageId);
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
      announce(number, received.sender, result.messageId);
      return reply.code(202).send({ messageId: result.messageId });
    },
  );

  typed.post(
    "/sandbox/phones/:number/flow-replies",
    {
      schema: {
        tags,
        summary:
          "The user goes through the flow a received flow message opens, with answers per screen, and sends the business its completion (nfm_reply)",
        params: Phone,
        body: FlowReplyBody,
        response: { 202: Type.Object({ messageId: Type.String() }), 400: FieldProblem, 404: Problem },
      },
    },
    async (req, reply) => {
      const { number } = req.params;
      const { body } = req;
      const received = (await network.listHandsetMessages(number)).find(
        (m) => m.messageId === body.messageId,
      );
      if (!received || received.state === "in_transit")
        return reply.code(404).send({ error: `phone ${number} has not received message ${body.messageId}` });
      const completed = await completeFlow(ctx, received.content, received.sender, body.answers);
      if (!completed.ok)
        return reply.code(400).send({
          error: `message ${body.messageId}: ${completed.field}: ${completed.message}`,
          field: completed.field,
        });
      const result = await userWrites(
        ctx,
        {
          from: number,
          to: received.sender,
          receivedAt: ctx.clock.now(),
          content: completed.content,
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

/**
 * OpenBSP's base URL as the sandbox's caller reached it (media URLs in inbound webhooks), as the
 * faces' `publicBase` words it; the simulator imports no face.
 */
function requestBase(ctx: AppContext, req: FastifyRequest): string {
  return ctx.config.publicUrl ?? `${req.protocol}://${req.host}`;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
