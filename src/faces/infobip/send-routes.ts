/** POST /whatsapp/1/message/template and /whatsapp/1/message/text (api-reference A.3, A.4, A.7). */

import type { FastifyReply } from "fastify";
import { type AcceptResult, acceptMessages } from "../../app/accept-messages.ts";
import type { AppContext } from "../../app/context.ts";
import type { FieldError } from "../../core/field-error.ts";
import type { OutboundRequest } from "../../core/message.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import { type Accepted, type AcceptedMessage, answerAccept } from "../kit/accept-answer.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { publicBase } from "../kit/public-base.ts";
import { statusObject } from "./from-core.ts";
import { groupErrors, sendError, sendUntranslated } from "./infobip-errors.ts";
import { ErrorBody, SingleMessageInfo } from "./schemas/common.ts";
import { TemplateSendBody, TemplateSendResponse, TextSendBody } from "./schemas/send-schemas.ts";
import { templateMessageToCore, templateSendPath, textToCore } from "./to-core.ts";

export const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody, 500: ErrorBody };

export function sendRoutes(app: FaceApp, ctx: AppContext): void {
  app.post(
    "/whatsapp/1/message/template",
    {
      schema: {
        tags: ["Infobip: send"],
        summary: "Send template messages (one or many)",
        body: TemplateSendBody,
        response: { 200: TemplateSendResponse, ...errors },
      },
    },
    async (req, reply) => {
      const { body } = req;
      if (body.messages.some((m) => m.content.templateData.orderStatus !== undefined)) {
        return sendError(
          reply,
          501,
          undefined,
          "Not implemented: templateData.orderStatus (order status templates) is not built yet",
        );
      }
      const translated: OutboundRequest[] = [];
      const fieldErrors: FieldError[] = [];
      for (const [i, m] of body.messages.entries()) {
        const t = templateMessageToCore(m);
        if (t.ok) translated.push(t.value);
        else if (t.kind === "unbuilt") return sendUntranslated(reply, t);
        else
          for (const e of t.errors)
            fieldErrors.push({ field: templateSendPath(i, e.field), message: e.message });
      }
      if (fieldErrors.length > 0) return sendError(reply, 400, groupErrors(fieldErrors));
      const result = await acceptMessages(
        ctx,
        req.account,
        "infobip",
        translated,
        body.bulkId,
        publicBase(ctx, req),
      );
      return answer(reply, result, (r) => ({
        messages: r.messages.map(info),
        ...(r.bulkId !== undefined ? { bulkId: r.bulkId } : {}),
      }));
    },
  );

  app.post(
    "/whatsapp/1/message/text",
    {
      schema: {
        tags: ["Infobip: send"],
        summary: "Send a text message (inside the 24-hour window)",
        body: TextSendBody,
        response: { 200: SingleMessageInfo, ...errors },
      },
    },
    async (req, reply) => {
      const translated = textToCore(req.body);
      if (!translated.ok) return sendUntranslated(reply, translated);
      const result = await acceptMessages(
        ctx,
        req.account,
        "infobip",
        [translated.value],
        undefined,
        publicBase(ctx, req),
      );
      return answer(
        reply,
        result,
        (r) => info(r.messages[0] as AcceptedInfo),
        (field) => field,
      );
    },
  );
}

export type AcceptedInfo = AcceptedMessage;

const DUPLICATE_ID = {
  groupId: 5,
  groupName: "REJECTED",
  id: 23,
  name: "REJECTED_DUPLICATE_MESSAGE_ID",
  description: "Message ID is already used by another message",
};

export function info(m: AcceptedInfo): SingleMessageInfo {
  const status = m.status === "duplicate-id" ? DUPLICATE_ID : statusObject(m.status);
  return { to: m.to, messageCount: 1, messageId: m.messageId, status };
}

/** An accept's outcome in Infobip's words; `path` names a core field the way the request did. */
export function answer(
  reply: FastifyReply,
  result: AcceptResult,
  ok: (r: Accepted) => unknown,
  path: (field: string, index: number) => string = (field, index) => templateSendPath(index, field),
) {
  return answerAccept(reply, result, {
    accepted: (r, accepted) => r.code(200).send(ok(accepted)),
    forbidden: (r, reason) => sendError(r, 403, undefined, `Forbidden: ${reason}`),
    rateLimited: (r, error) =>
      sendError(
        r,
        429,
        undefined,
        // The account's request limit is Infobip's own (no WhatsApp code); a sender's is WhatsApp's.
        error.code === WA.apiTooManyCalls.code
          ? "Too many requests: the account sent more requests per second than its limit allows."
          : `Too many requests: ${error.title} (WhatsApp ${error.code}). ${error.details ?? ""}`.trim(),
      ),
    invalid: (r, errors) =>
      sendError(
        r,
        400,
        groupErrors(errors.map((e) => ({ field: path(e.field, e.index), message: e.message }))),
      ),
  });
}
