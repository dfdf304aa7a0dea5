/**
 * The inbound media URL of the Sinch face (`GET /whatsapp/v1/{bot-id}/media/{media-id}`, the `url`
 * of an inbound media notification): the bytes a user sent to the bot. Sinch documents no separate
 * rule for these URLs, and its WhatsApp endpoints all take the bot's `Authorization: Bearer` token,
 * so this one does too (the face's auth hook: another account's bot is a 401, as on every route).
 * Media that is not this bot's, deleted or expired (30 days) is a 404 in Sinch's body.
 */
import type { AppContext } from "../../app/context.ts";
import { ownInboundMedia } from "../../app/upload-media.ts";
import { UploadedMediaFiles } from "../../media/uploaded-media-files.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { sendMediaBytes } from "../kit/media-bytes.ts";
import { MediaParams } from "./schemas/common.ts";
import { errors } from "./send-routes.ts";
import { sendError } from "./sinch-errors.ts";

export function mediaRoutes(app: FaceApp, ctx: AppContext): void {
  const files = new UploadedMediaFiles(ctx.config.mediaDir);
  for (const method of ["GET", "HEAD"] as const) {
    app.route({
      method,
      url: "/:botId/media/:mediaId",
      // HEAD is declared on its own, so that it reads no bytes, and shown in the API document.
      ...(method === "GET" ? { exposeHeadRoute: false } : { config: { swagger: { exposeHeadRoute: true } } }),
      schema: {
        tags: ["Sinch: media"],
        summary:
          method === "GET"
            ? "Download media a user sent to the bot (the url of the inbound notification; Authorization: Bearer <API key>)"
            : "The Content-Type and Content-Length of media a user sent to the bot, without the bytes",
        params: MediaParams,
        response: errors,
      },
      handler: async (req, reply) => {
        const media = await ownInboundMedia(ctx, files, req.account, req.sinchBot, req.params.mediaId);
        if (!media) {
          if (method === "HEAD") return reply.code(404).send();
          return sendError(
            reply,
            404,
            "Media not found",
            `No media ${req.params.mediaId} for bot ${req.params.botId}: it does not exist, was deleted or has expired`,
          );
        }
        return sendMediaBytes(reply, files, media, { disposition: "documents", head: method === "HEAD" });
      },
    });
  }
}
