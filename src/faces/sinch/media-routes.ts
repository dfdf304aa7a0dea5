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
import { sendError } from "./sinch-errors.ts";
import { MediaParams } from "./schemas/common.ts";
import { errors } from "./send-routes.ts";

export function mediaRoutes(app: FaceApp, ctx: AppContext): void {
  const files = new UploadedMediaFiles(ctx.config.dataDir);
  app.get(
    "/:botId/media/:mediaId",
    {
      schema: {
        tags: ["Sinch: media"],
        summary: "Download media a user sent to the bot (the url of the inbound notification; Authorization: Bearer <API key>)",
        params: MediaParams,
        response: errors,
      },
    },
    async (req, reply) => {
      const media = await ownInboundMedia(ctx, files, req.account, req.sinchBot, req.params.mediaId);
      if (!media) return sendError(reply, 404, "Media not found", `No media ${req.params.mediaId} for bot ${req.params.botId}: it does not exist, was deleted or has expired`);
      return sendMediaBytes(reply, files, media, { disposition: "documents", head: req.method === "HEAD" });
    },
  );
}
