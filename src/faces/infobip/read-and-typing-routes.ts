/**
 * Mark as read (`POST /whatsapp/1/senders/{sender}/message/{messageId}/read`), off until the
 * account has it enabled, as at Infobip (seed 002), and typing indicators (`POST /whatsapp/1/events`
 * with `TYPING_INDICATOR`). Both answer in the bodies Infobip's document gives those endpoints.
 */
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { uuidv7 } from "../../app/ids.ts";
import { markRead, showTyping } from "../../app/mark-read.ts";
import type { Sender } from "../../core/account.ts";
import { normaliseRecipient } from "../../core/phone-number.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { infobipPath, sendApiError, sendError } from "./infobip-errors.ts";
import { markAsReadEnabled } from "./infobip-settings.ts";
import { ErrorBody } from "./schemas/common.ts";

/** Mark as read's own 400 body (`MarkAsReadErrorResponse`). */
const MarkAsReadError = Type.Object({ error: Type.String() });

const ApiError = Type.Object({
  errorCode: Type.String(),
  description: Type.String(),
  action: Type.String(),
  violations: Type.Array(Type.Object({ property: Type.String(), violation: Type.String() })),
  resources: Type.Array(Type.Object({ name: Type.String(), url: Type.String() })),
});

const EventsBody = Type.Object({
  events: Type.Array(
    Type.Object({
      sender: Type.String({ minLength: 1, maxLength: 24 }),
      destinations: Type.Array(
        Type.Object({
          to: Type.String({ minLength: 1, maxLength: 24 }),
          messageId: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        { minItems: 1, maxItems: 1 },
      ),
      content: Type.Object({ type: Type.Enum(["TYPING_INDICATOR"]) }),
      options: Type.Optional(Type.Object({})),
    }),
    { minItems: 1, maxItems: 100 },
  ),
  options: Type.Optional(
    Type.Object({
      schedule: Type.Optional(Type.Object({ bulkId: Type.Optional(Type.String({ maxLength: 100 })) })),
    }),
  ),
});

const EventsAnswer = Type.Object({
  bulkId: Type.String(),
  messages: Type.Array(
    Type.Object({
      messageId: Type.String(),
      status: Type.Object({
        groupId: Type.Integer(),
        groupName: Type.String(),
        id: Type.Integer(),
        name: Type.String(),
        description: Type.String(),
      }),
      destination: Type.String(),
    }),
  ),
});

const tags = ["Infobip: read receipts and typing"];

export function readAndTypingRoutes(app: FaceApp, ctx: AppContext): void {
  /** The path's sender, if it belongs to the caller's account; otherwise answers 403. */
  async function ownSender(
    accountId: string,
    number: string,
    reply: FastifyReply,
  ): Promise<Sender | undefined> {
    const sender = await ctx.lookups.sender(number);
    if (sender && sender.accountId === accountId) return sender;
    await sendError(reply, 403, undefined, `Forbidden: sender ${number} is not registered to this account`);
    return undefined;
  }

  app.post(
    "/whatsapp/1/senders/:sender/message/:messageId/read",
    {
      schema: {
        tags,
        summary:
          "Mark a user's message (and the earlier ones of the chat) as read; off until enabled for the account",
        params: Type.Object({ sender: Type.String(), messageId: Type.String() }),
        response: {
          204: Type.Null({ description: "Marked as read" }),
          400: MarkAsReadError,
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req.account.id, req.params.sender, reply);
      if (!sender) return reply;
      if (!markAsReadEnabled(req.account, sender)) {
        return sendError(
          reply,
          403,
          undefined,
          "Mark as read is not enabled for this account: it is disabled by default and enabled per account (OPENBSP_MARK_AS_READ=true for the seeded one)",
        );
      }
      const { messageId } = req.params;
      const result = await markRead(ctx, sender, messageId);
      if (result.kind === "marked") return reply.code(204).send();
      const error =
        result.kind === "too-old"
          ? `messageId ${messageId}: the message arrived more than 30 days ago and can no longer be marked as read`
          : `messageId ${messageId}: sender ${sender.number} received no message with this id`;
      return reply.code(400).type("application/json").send({ error });
    },
  );

  app.post(
    "/whatsapp/1/events",
    {
      // Schema failures are answered here, in this endpoint's ApiError body, not the face's usual one.
      attachValidation: true,
      schema: {
        tags,
        summary:
          "Show a typing indicator in users' chats (TYPING_INDICATOR), until the next message or for 25 s",
        body: EventsBody,
        response: { 200: EventsAnswer, 400: ApiError, 401: ErrorBody },
      },
    },
    async (req, reply) => {
      if (req.validationError) {
        const findings = (req.validationError.validation ?? []) as unknown as {
          instancePath: string;
          keyword: string;
          params: Record<string, unknown>;
          message?: string;
        }[];
        return sendApiError(
          reply,
          400,
          findings.map((f) => ({
            property:
              infobipPath(
                f.instancePath,
                f.keyword === "required" ? String(f.params.missingProperty) : undefined,
              ) || "body",
            violation: f.keyword === "required" ? "must not be null" : (f.message ?? "is invalid"),
          })),
        );
      }
      const { events, options } = req.body;
      const violations: { property: string; violation: string }[] = [];
      const shows: {
        sender: Sender;
        user: string;
        destination: string;
        messageId?: string;
        property: string;
      }[] = [];
      for (const [i, event] of events.entries()) {
        const sender = await ctx.lookups.sender(event.sender);
        if (!sender || sender.accountId !== req.account.id) {
          violations.push({
            property: `events[${i}].sender`,
            violation: `sender ${event.sender} is not registered to this account`,
          });
          continue;
        }
        const [destination] = event.destinations;
        if (!destination) continue;
        const property = `events[${i}].destinations[0].to`;
        const to = normaliseRecipient(destination.to);
        if (!to.ok) violations.push({ property, violation: to.reason });
        else
          shows.push({
            sender,
            user: to.waId,
            destination: destination.to,
            ...(destination.messageId ? { messageId: destination.messageId } : {}),
            property,
          });
      }
      if (violations.length > 0) return sendApiError(reply, 400, violations);
      const shown = await showTyping(ctx, shows);
      if (shown.kind === "no-chat") {
        const s = shows[shown.index] as (typeof shows)[number];
        return sendApiError(reply, 400, [
          {
            property: s.property,
            violation: `${s.destination} has not written to sender ${s.sender.number} in the last 30 days`,
          },
        ]);
      }
      const now = ctx.clock.now();
      const messages = shows.map((s) => ({
        messageId: s.messageId ?? uuidv7(now),
        status: {
          groupId: 1,
          groupName: "PENDING",
          id: 26,
          name: "PENDING_ACCEPTED",
          description: "Message sent to next instance",
        },
        destination: s.destination,
      }));
      return { bulkId: options?.schedule?.bulkId ?? uuidv7(now), messages };
    },
  );
}
