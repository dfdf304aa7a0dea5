/**
 * POST /whatsapp/v1/{bot-id}/messages (api-reference B.2): one message to 1..20 recipients, one
 * core message each, all accepted or none. Answers 201 with a `queued` status per recipient.
 */

import { Compile } from "typebox/compile";
import { acceptMessages } from "../../app/accept-messages.ts";
import type { AppContext } from "../../app/context.ts";
import type { FieldError } from "../../core/field-error.ts";
import type { OutboundRequest } from "../../core/message.ts";
import { normaliseRecipient } from "../../core/phone-number.ts";
import { answerAccept } from "../kit/accept-answer.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { BotParams, ErrorBody, SendBody, SendShell, StatusesBody } from "./schemas/common.ts";
import {
  INTERACTIVE_KINDS,
  InteractiveShell,
  MESSAGE_TYPES,
  type MessageType,
} from "./schemas/message-schemas.ts";
import { findingsToErrors, sendError, sendFieldErrors, sendUntranslated } from "./sinch-errors.ts";
import { ulid } from "./sinch-ids.ts";
import { recipient } from "./sinch-reports.ts";
import { messageToCore } from "./to-core.ts";

export const errors = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  500: ErrorBody,
  501: ErrorBody,
};

const shell = Compile(SendShell);
const interactiveShell = Compile(InteractiveShell);
const byType = Object.fromEntries(Object.entries(MESSAGE_TYPES).map(([k, s]) => [k, Compile(s)]));
const byKind = Object.fromEntries(Object.entries(INTERACTIVE_KINDS).map(([k, s]) => [k, Compile(s)]));

/**
 * The wrong fields of a send body, checked step by step (envelope, then the message by its type,
 * then an interactive message by its kind) so that only the chosen type's fields are named, not
 * every alternative of the union.
 */
export function sendBodyErrors(body: unknown): FieldError[] {
  if (typeof body !== "object" || body === null) return [{ field: "body", message: "must be a JSON object" }];
  const found = findingsToErrors(shell.Errors(body));
  const message = (body as { message?: { type?: unknown; message?: { type?: unknown } } }).message;
  const type = message?.type;
  // Own keys only: `"toString" in MESSAGE_TYPES` is true too.
  if (typeof type !== "string" || !Object.hasOwn(MESSAGE_TYPES, type)) return found;
  if (type !== "interactive")
    return [
      ...found,
      ...findingsToErrors((byType[type as MessageType] as typeof shell).Errors(message), "message"),
    ];
  const inner = findingsToErrors(interactiveShell.Errors(message), "message");
  const kind = message?.message?.type;
  if (inner.length > 0 || typeof kind !== "string" || !Object.hasOwn(INTERACTIVE_KINDS, kind))
    return [...found, ...inner];
  return [
    ...found,
    ...findingsToErrors((byKind[kind] as typeof shell).Errors(message?.message), "message.message"),
  ];
}

export function sendRoutes(app: FaceApp, ctx: AppContext): void {
  app.post(
    "/:botId/messages",
    {
      schema: {
        tags: ["Sinch: send"],
        summary: "Send a message to 1..20 recipients (Authorization: Bearer <API key>)",
        params: BotParams,
        body: SendBody,
        response: { 201: StatusesBody, ...errors },
      },
    },
    async (req, reply) => {
      const { body } = req;
      const translated = messageToCore(body.message);
      if (!translated.ok) return sendUntranslated(reply, translated);
      const { content, path } = translated.value;
      const readings = body.to.map((to) => normaliseRecipient(to));
      const unreadable = readings.flatMap((r, i) => (r.ok ? [] : [{ field: `to[${i}]`, message: r.reason }]));
      if (unreadable.length > 0) return sendFieldErrors(reply, unreadable);
      const now = ctx.clock.now();
      const requests: OutboundRequest[] = readings
        .flatMap((to) => (to.ok ? [to.waId] : []))
        .map((to) => ({
          from: req.sinchBot.number,
          to,
          messageId: ulid(now),
          content,
          ...(body.callback !== undefined ? { notifyUrl: body.callback } : {}),
        }));
      const result = await acceptMessages(ctx, req.account, "sinch", requests);
      return answerAccept(reply, result, {
        accepted: (r, accepted) =>
          r.code(201).send({
            type: "whatsapp",
            statuses: accepted.messages.map((m) => ({
              message_id: m.messageId,
              recipient: recipient(m.to),
              status: "success",
              state: "queued",
            })),
          }),
        forbidden: (r, reason) => sendError(r, 403, "Forbidden", reason),
        rateLimited: (r, error) => sendError(r, 429, error.title, error.details),
        invalid: (r, errors) =>
          sendFieldErrors(
            r,
            errors.map((e) => ({ field: path(e.field, e.message), message: e.message })),
          ),
      });
    },
  );
}
