/**
 * Media on the Meta face (api-reference C.5): upload (`POST /{phone-number-id}/media`, multipart),
 * retrieve (`GET /{media-id}` → url, mime_type, sha256, file_size), download through that URL with
 * the same Bearer token, and delete (`DELETE /{media-id}`).
 */
import type { FaceApp } from "../kit/dialect.ts";
import type { MultipartFile } from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { AppContext } from "../../app/context.ts";
import { ownMedia, uploadMedia } from "../../app/upload-media.ts";
import type { UploadedMedia } from "../../core/uploaded-media.ts";
import { publicBase } from "../kit/public-base.ts";
import { UPLOADED_MEDIA_PATH, type UploadedMediaFiles } from "../../media/uploaded-media-files.ts";
import { sendFieldErrors, sendMetaError } from "./meta-errors.ts";
import { queryParam } from "../kit/request-fields.ts";
import { PhoneNumberPath, senderOf, unknownObject } from "./meta-routing.ts";
import { WA } from "../../core/whatsapp-errors.ts";

const tags = ["Meta Cloud API"];
const DOWNLOAD_PATH = UPLOADED_MEDIA_PATH;

export function downloadUrl(ctx: AppContext, req: FastifyRequest, id: string): string {
  return `${publicBase(ctx, req)}${DOWNLOAD_PATH}?mid=${id}`;
}

export function mediaView(ctx: AppContext, req: FastifyRequest, m: UploadedMedia) {
  return { messaging_product: "whatsapp", url: downloadUrl(ctx, req, m.id), mime_type: m.mimeType, sha256: m.sha256, file_size: String(m.size), id: m.id };
}

export function mediaRoutes(app: FaceApp, ctx: AppContext, files: UploadedMediaFiles): void {
  app.route({
    method: "POST",
    url: "/:phoneNumberId/media",
    schema: { tags, summary: "Upload media (multipart: messaging_product, file, type) to send by id", params: PhoneNumberPath },
    handler: async (req, reply) => {
      const sender = await senderOf(ctx, req, reply, req.params.phoneNumberId);
      if (!sender) return reply;
      if (!req.isMultipart()) return sendMetaError(reply, WA.invalidParameter.code, "The request must be multipart/form-data with a file");
      const fields: Record<string, string> = {};
      let result: Awaited<ReturnType<typeof uploadMedia>> | undefined;
      for await (const part of req.parts()) {
        if (part.type === "field") fields[part.fieldname] = String(part.value);
        else if (part.fieldname === "file" && !result) {
          const file = part as MultipartFile;
          // Meta takes the type from the `type` field; clients send it before the file or with it.
          const mimeType = (fields.type ?? file.mimetype ?? "").toLowerCase().split(";")[0]?.trim() ?? "";
          result = await uploadMedia(ctx, files, req.account, sender, { file: file.file, mimeType, ...(file.filename ? { filename: file.filename } : {}) });
        } else (part as MultipartFile).file.resume();
      }
      if (fields.messaging_product !== undefined && fields.messaging_product !== "whatsapp") {
        return sendMetaError(reply, WA.invalidParameter.code, "messaging_product must be whatsapp");
      }
      if (!result) return sendMetaError(reply, WA.requiredParameterMissing.code, "The parameter file is required.");
      if (result.kind === "invalid") return sendFieldErrors(reply, [result.error], (f) => f);
      return { id: result.media.id };
    },
  });
}

/** The download URL of uploaded media, at OpenBSP's own path (no Graph version prefix). */
export function downloadRoute(app: FaceApp, ctx: AppContext, files: UploadedMediaFiles): void {
  app.get(DOWNLOAD_PATH, { schema: { tags, summary: "Download uploaded media (the URL GET /{media-id} returns)" } }, async (req, reply) => {
    const mid = queryParam(req, "mid");
    const media = mid ? await ownMedia(ctx, req.account, mid) : undefined;
    if (!media) return unknownObject(reply, "GET", mid ?? "");
    return reply
      .type(media.mimeType)
      .header("content-length", String(media.size))
      .header("content-disposition", `attachment${media.filename ? `; filename="${media.filename.replace(/"/g, "")}"` : ""}`)
      .send(files.read(media.id));
  });
}

/** `GET /{id}` for media; undefined when `id` is not the caller's media. */
export async function mediaObject(ctx: AppContext, req: FastifyRequest, id: string) {
  const media = await ownMedia(ctx, req.account, id);
  return media && mediaView(ctx, req, media);
}

export async function deleteMediaObject(ctx: AppContext, files: UploadedMediaFiles, req: FastifyRequest, reply: FastifyReply, id: string) {
  const media = await ownMedia(ctx, req.account, id);
  if (!media) return unknownObject(reply, "DELETE", id);
  await ctx.storage.media.delete(media.id);
  await files.remove(media.id);
  return { success: true };
}
