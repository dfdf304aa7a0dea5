/**
 * Media on the Infobip face (api-reference A.2): download the media a user sent in
 * (`GET /whatsapp/1/senders/{sender}/media/{mediaId}`, the URL the inbound message gives), its
 * type and size alone (`HEAD`), and delete it (`DELETE /whatsapp/1/senders/{sender}/media` with
 * that URL in the body). The sender must be the caller's (403); the media that sender's, alive
 * (30 days) and not deleted, else 404 — another account's media answers as if it did not exist.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { ownInboundMedia, removeMedia } from "../../app/upload-media.ts";
import type { Sender } from "../../core/account.ts";
import { UploadedMediaFiles } from "../../media/uploaded-media-files.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { sendMediaBytes } from "../kit/media-bytes.ts";
import { sendError } from "./infobip-errors.ts";
import { ErrorBody, SenderParams } from "./schemas/common.ts";
import { MediaParams, UrlDeletionRequest } from "./schemas/media-schemas.ts";

const tags = ["Infobip: media"];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const MEDIA_PATH = /^\/whatsapp\/1\/senders\/([^/]+)\/media\/([^/?#]+)$/;

/** The sender and media id an inbound media URL names (any host: OpenBSP may sit behind a proxy). */
function mediaUrlParts(url: string): { sender: string; mediaId: string } | undefined {
  try {
    const match = MEDIA_PATH.exec(new URL(url).pathname);
    return match
      ? { sender: decodeURIComponent(match[1] as string), mediaId: decodeURIComponent(match[2] as string) }
      : undefined;
  } catch {
    return undefined;
  }
}

export function mediaRoutes(app: FaceApp, ctx: AppContext): void {
  const files = new UploadedMediaFiles(ctx.config.mediaDir);

  /** The path's sender, if it belongs to the caller's account; otherwise answers 403 itself. */
  async function ownSender(
    req: FastifyRequest<{ Params: { sender: string } }>,
    reply: FastifyReply,
  ): Promise<Sender | undefined> {
    const { sender: number } = req.params;
    const sender = await ctx.lookups.sender(number);
    if (sender && sender.accountId === req.account.id) return sender;
    await sendError(reply, 403, undefined, `Forbidden: sender ${number} is not registered to this account`);
    return undefined;
  }

  const notFound = (reply: FastifyReply) => sendError(reply, 404, undefined, "Media not found or expired");

  for (const method of ["GET", "HEAD"] as const) {
    app.route({
      method,
      url: "/whatsapp/1/senders/:sender/media/:mediaId",
      // HEAD is declared on its own, so that it reads no bytes, and shown in the API document.
      ...(method === "GET" ? { exposeHeadRoute: false } : { config: { swagger: { exposeHeadRoute: true } } }),
      schema: {
        tags,
        summary:
          method === "GET"
            ? "Download media a user sent (the URL of the inbound message): the bytes, Content-Type, Content-Length, Content-Disposition for documents"
            : "Media metadata: Content-Type and Content-Length of media a user sent, without the bytes",
        params: MediaParams,
        response: errors,
      },
      handler: async (req, reply) => {
        const sender = await ownSender(req, reply);
        if (!sender) return reply;
        const media = await ownInboundMedia(ctx, files, req.account, sender, req.params.mediaId);
        if (!media) return method === "HEAD" ? reply.code(404).send() : notFound(reply);
        return sendMediaBytes(reply, files, media, { disposition: "documents", head: method === "HEAD" });
      },
    });
  }

  app.delete(
    "/whatsapp/1/senders/:sender/media",
    {
      schema: {
        tags,
        summary: "Delete media a user sent, by its URL (204); a second delete answers 404",
        params: SenderParams,
        body: UrlDeletionRequest,
        response: { 204: Type.Null({ description: "Deleted; empty body" }), ...errors },
      },
    },
    async (req, reply) => {
      const sender = await ownSender(req, reply);
      if (!sender) return reply;
      const parts = mediaUrlParts(req.body.url);
      if (!parts)
        return sendError(reply, 400, {
          url: ["must be the URL of WhatsApp media (…/whatsapp/1/senders/{sender}/media/{mediaId})"],
        });
      const media =
        parts.sender === sender.number
          ? await ownInboundMedia(ctx, files, req.account, sender, parts.mediaId)
          : undefined;
      if (!media) return notFound(reply);
      await removeMedia(ctx, files, media);
      return reply.code(204).send();
    },
  );
}
