/**
 * The bot's other endpoints (api-reference B.1): mark an inbound message as read, opt numbers in
 * and out, and the stickerpack and group management OpenBSP does not serve (501).
 */

import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { markRead } from "../../app/mark-read.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { BotParams, ErrorBody, OptInBody, ReadEventBody } from "./schemas/common.ts";
import { errors } from "./send-routes.ts";
import { sendError, sendFieldErrors } from "./sinch-errors.ts";

export function botRoutes(app: FaceApp, ctx: AppContext): void {
  app.post(
    "/:botId/events",
    {
      schema: {
        tags: ["Sinch: bot"],
        summary: "Mark an inbound message (and the earlier ones of the chat) as read",
        params: BotParams,
        body: ReadEventBody,
        response: { 201: Type.Null({ description: "Marked as read; empty body" }), ...errors },
      },
    },
    async (req, reply) => {
      const { message_id: messageId } = req.body;
      const marked = await markRead(ctx, req.sinchBot, messageId);
      if (marked.kind === "marked") return reply.code(201).send();
      const message =
        marked.kind === "too-old"
          ? "arrived more than 30 days ago and can no longer be marked as read"
          : `is not a message bot ${req.params.botId} received`;
      return sendFieldErrors(reply, [{ field: "message_id", message }]);
    },
  );

  // OpenBSP keeps no opt-in register: every number may be sent to, as with opt-in handled elsewhere.
  for (const method of ["POST", "DELETE"] as const) {
    app.route({
      method,
      url: "/:botId/provision/optin",
      schema: {
        tags: ["Sinch: bot"],
        summary: `Opt numbers ${method === "POST" ? "in" : "out"} (accepted; OpenBSP keeps no opt-in register)`,
        params: BotParams,
        body: OptInBody,
        response: { 200: Type.Null({ description: "Done; empty body" }), ...errors },
      },
      handler: async (_req, reply) => reply.code(200).send(),
    });
  }

  for (const [path, what] of [
    ["stickerpacks", "stickerpack management"],
    ["groups", "WhatsApp groups"],
  ] as const) {
    for (const url of [`/:botId/${path}`, `/:botId/${path}/*`]) {
      app.route({
        method: ["GET", "POST", "PUT", "PATCH", "DELETE"],
        url,
        schema: {
          tags: ["Sinch: not built yet"],
          summary: `Answers 501: ${what} are not built yet`,
          response: { 501: ErrorBody },
        },
        handler: (_req, reply) => sendError(reply, 501, `OpenBSP does not support ${what} yet`),
      });
    }
  }
}
