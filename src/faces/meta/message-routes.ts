/**
 * `POST /{phone-number-id}/messages` (api-reference C.1, C.5): sends of every type, and read
 * receipts for inbound messages. Answers `{messaging_product, contacts, messages}` like the Cloud API.
 */

import { acceptMessages } from "../../app/accept-messages.ts";
import type { AppContext } from "../../app/context.ts";
import { markRead } from "../../app/mark-read.ts";
import { ownMedia } from "../../app/upload-media.ts";
import { normaliseRecipient } from "../../core/phone-number.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import { MessageRequest, MessageResponse, MetaError, Success } from "../../meta-graph/message-schemas.ts";
import { answerAccept } from "../kit/accept-answer.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { downloadUrl } from "./media-routes.ts";
import { sendFieldErrors, sendMetaError, sendUntranslated } from "./meta-errors.ts";
import { newWamid } from "./meta-ids.ts";
import { PhoneNumberPath, senderOf } from "./meta-routing.ts";
import { mediaIdsOf, messageToCore, metaField } from "./to-core.ts";

export function messageRoutes(app: FaceApp, ctx: AppContext): void {
  app.route({
    method: "POST",
    url: "/:phoneNumberId/messages",
    schema: {
      tags: ["Meta Cloud API"],
      summary:
        "Send a message of any type, or mark an inbound message as read (optionally with a typing indicator)",
      params: PhoneNumberPath,
      body: MessageRequest,
      response: {
        200: { anyOf: [MessageResponse, Success] },
        400: MetaError,
        401: MetaError,
        429: MetaError,
      },
    },
    handler: async (req, reply) => {
      const sender = await senderOf(ctx, req, reply, req.params.phoneNumberId);
      if (!sender) return reply;
      const { body } = req;
      if (body.status === "read") {
        if (!body.message_id)
          return sendMetaError(
            reply,
            WA.requiredParameterMissing.code,
            "The parameter message_id is required.",
          );
        const typing = body.typing_indicator;
        if (typing && typing.type !== "text") {
          return sendMetaError(reply, WA.parameterValueInvalid.code, "typing_indicator.type: must be text");
        }
        const marked = await markRead(ctx, sender, body.message_id, typing !== undefined);
        if (marked.kind === "unknown-message") {
          return sendMetaError(
            reply,
            WA.parameterValueInvalid.code,
            `message_id: ${body.message_id} is not a message this phone number received`,
          );
        }
        if (marked.kind === "too-old") {
          return sendMetaError(
            reply,
            WA.parameterValueInvalid.code,
            `message_id: ${body.message_id} arrived more than 30 days ago and can no longer be marked as read`,
          );
        }
        return { success: true };
      }
      if (body.recipient_type === "group")
        return sendMetaError(
          reply,
          WA.parameterValueInvalid.code,
          "Groups are not supported: recipient_type must be individual",
        );
      if (body.to === undefined)
        return sendMetaError(reply, WA.requiredParameterMissing.code, "The parameter to is required.");
      const recipient = normaliseRecipient(body.to, sender.number);
      if (!recipient.ok)
        return sendMetaError(reply, WA.parameterValueInvalid.code, `Parameter to ${recipient.reason}`);
      const uploaded = new Map<string, string>();
      for (const id of mediaIdsOf(body)) {
        const media = await ownMedia(ctx, req.account, id);
        if (media) uploaded.set(id, downloadUrl(ctx, req, id));
      }
      const now = ctx.clock.now();
      const translated = messageToCore(body, sender.number, recipient.waId, newWamid(now), uploaded, now);
      if (!translated.ok) return sendUntranslated(reply, translated);
      // Cloud API refuses a send over the number's throughput at once (130429), as Meta does.
      const result = await acceptMessages(
        ctx,
        req.account,
        "meta",
        [translated.value],
        undefined,
        undefined,
        "refuse",
      );
      return answerAccept(reply, result, {
        accepted: (_reply, accepted) => ({
          messaging_product: "whatsapp",
          contacts: [{ input: body.to, wa_id: recipient.waId }],
          // Meta reports message_status for template sends (pacing), not for other types.
          messages: [
            {
              id: accepted.messages[0]?.messageId ?? "",
              ...(body.type === "template" ? { message_status: "accepted" } : {}),
            },
          ],
        }),
        forbidden: (r, reason) => sendMetaError(r, WA.permissionDenied.code, reason),
        rateLimited: (r, error) => sendMetaError(r, error.code, error.details),
        invalid: (r, errors) => sendFieldErrors(r, errors, (f) => metaField(body.type ?? "text", f)),
      });
    },
  });
}
