/**
 * The bot's other endpoints (api-reference B.1): mark an inbound message as read, opt numbers in
 * and out, and the stickerpack and group management OpenBSP does not serve (501).
 */
import type { FaceApp } from "../kit/dialect.ts";
import { Type } from "typebox";
import { sendError } from "./sinch-errors.ts";
import { BotParams, ErrorBody, OptInBody, ReadEventBody } from "./schemas/common.ts";
import { errors } from "./send-routes.ts";

export function botRoutes(app: FaceApp): void {
  // The simulated phones show no read receipts for what users sent, so there is nothing to change.
  app.post(
    "/:botId/events",
    {
      schema: {
        tags: ["Sinch: bot"],
        summary: "Mark an inbound message as read (accepted; the simulated network shows no read receipts to users)",
        params: BotParams,
        body: ReadEventBody,
        response: { 201: Type.Null({ description: "Marked as read; empty body" }), ...errors },
      },
    },
    async (_req, reply) => reply.code(201).send(),
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

  for (const [path, what] of [["stickerpacks", "stickerpack management"], ["groups", "WhatsApp groups"]] as const) {
    for (const url of [`/:botId/${path}`, `/:botId/${path}/*`]) {
      app.route({
        method: ["GET", "POST", "PUT", "PATCH", "DELETE"],
        url,
        schema: { tags: ["Sinch: not built yet"], summary: `Answers 501: ${what} are not built yet`, response: { 501: ErrorBody } },
        handler: (_req, reply) => sendError(reply, 501, `OpenBSP does not support ${what} yet`),
      });
    }
  }
}
