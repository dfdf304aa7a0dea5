/**
 * Media on the Meta face (api-reference C.5): upload (`POST /{phone-number-id}/media`, multipart),
 * retrieve (`GET /{media-id}` → url, mime_type, sha256, file_size), download through that URL with
 * the same Bearer token, and delete (`DELETE /{media-id}`) — for media the business uploaded and
 * for media its users sent in (inbound), alike. As Meta's, the URL lives 5 minutes: it carries its
 * expiry (`ext`, unix seconds) and a `hash` that signs the id and the expiry, and used late it
 * answers 404.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { MultipartFile } from "@fastify/multipart";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type Static, Type } from "typebox";
import type { AppContext } from "../../app/context.ts";
import { ownMedia, removeMedia, uploadMedia } from "../../app/upload-media.ts";
import type { Account } from "../../core/account.ts";
import type { UploadedMedia } from "../../core/uploaded-media.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import { UPLOADED_MEDIA_PATH, type UploadedMediaFiles } from "../../media/uploaded-media-files.ts";
import type { FaceApp } from "../kit/dialect.ts";
import { sendMediaBytes } from "../kit/media-bytes.ts";
import { publicBase } from "../kit/public-base.ts";
import { sendFieldErrors, sendMetaError } from "./meta-errors.ts";
import { PhoneNumberPath, senderOf, unknownObject } from "./meta-routing.ts";
import { META_PHONE_NUMBER_ID } from "./meta-settings.ts";

const tags = ["Meta Cloud API"];
const DOWNLOAD_PATH = UPLOADED_MEDIA_PATH;

/** Meta's media URLs expire 5 minutes after `GET /{media-id}` hands them out. */
export const MEDIA_URL_TTL_MS = 5 * 60 * 1000;

/**
 * Signs the id and expiry with the account's secret: stable across restarts and nodes, and a URL
 * handed to one account means nothing to another (the download needs that account's token too).
 */
function urlHash(account: Account, mid: string, ext: string): string {
  return createHmac("sha256", account.secret).update(`${mid}.${ext}`).digest("base64url").slice(0, 32);
}

export function downloadUrl(ctx: AppContext, req: FastifyRequest, id: string): string {
  const ext = String(Math.floor((ctx.clock.now() + MEDIA_URL_TTL_MS) / 1000));
  return `${publicBase(ctx, req)}${DOWNLOAD_PATH}?mid=${id}&ext=${ext}&hash=${urlHash(req.account, id, ext)}`;
}

/** The media id a download URL's query names, if its signature holds and it has not expired. */
function signedMediaId(ctx: AppContext, account: Account, q: DownloadQuery): string | undefined {
  const { mid, ext, hash } = q;
  if (!mid || !ext || !hash || !/^\d+$/.test(ext)) return undefined;
  const expected = Buffer.from(urlHash(account, mid, ext));
  const given = Buffer.from(hash);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return ctx.clock.now() < Number(ext) * 1000 ? mid : undefined;
}

export function mediaView(ctx: AppContext, req: FastifyRequest, m: UploadedMedia) {
  return {
    messaging_product: "whatsapp",
    url: downloadUrl(ctx, req, m.id),
    mime_type: m.mimeType,
    sha256: m.sha256,
    file_size: String(m.size),
    id: m.id,
  };
}

export function mediaRoutes(app: FaceApp, ctx: AppContext, files: UploadedMediaFiles): void {
  app.route({
    method: "POST",
    url: "/:phoneNumberId/media",
    schema: {
      tags,
      summary: "Upload media (multipart: messaging_product, file, type) to send by id",
      params: PhoneNumberPath,
    },
    handler: async (req, reply) => {
      const sender = await senderOf(ctx, req, reply, req.params.phoneNumberId);
      if (!sender) return reply;
      if (!req.isMultipart())
        return sendMetaError(
          reply,
          WA.invalidParameter.code,
          "The request must be multipart/form-data with a file",
        );
      const fields: Record<string, string> = {};
      let result: Awaited<ReturnType<typeof uploadMedia>> | undefined;
      for await (const part of req.parts()) {
        if (part.type === "field") fields[part.fieldname] = String(part.value);
        else if (part.fieldname === "file" && !result) {
          const file = part as MultipartFile;
          // Meta takes the type from the `type` field; clients send it before the file or with it.
          const mimeType = (fields.type ?? file.mimetype ?? "").toLowerCase().split(";")[0]?.trim() ?? "";
          result = await uploadMedia(ctx, files, req.account, sender, {
            file: file.file,
            mimeType,
            ...(file.filename ? { filename: file.filename } : {}),
          });
        } else (part as MultipartFile).file.resume();
      }
      if (fields.messaging_product !== undefined && fields.messaging_product !== "whatsapp") {
        return sendMetaError(reply, WA.invalidParameter.code, "messaging_product must be whatsapp");
      }
      if (!result)
        return sendMetaError(reply, WA.requiredParameterMissing.code, "The parameter file is required.");
      if (result.kind === "invalid") return sendFieldErrors(reply, [result.error], (f) => f);
      return { id: result.media.id };
    },
  });
}

const DownloadQuery = Type.Object({
  mid: Type.Optional(Type.String({ maxLength: 20 })),
  ext: Type.Optional(Type.String({ maxLength: 20 })),
  hash: Type.Optional(Type.String({ maxLength: 64 })),
});
type DownloadQuery = Static<typeof DownloadQuery>;

/**
 * The download URL of media (uploaded or inbound), at OpenBSP's own path (no Graph version
 * prefix). Late, forged, deleted, expired or another account's: 404, as Meta answers a media URL
 * it no longer serves.
 */
export function downloadRoute(app: FaceApp, ctx: AppContext, files: UploadedMediaFiles): void {
  app.get(
    DOWNLOAD_PATH,
    {
      schema: {
        tags,
        summary: "Download media (the 5-minute URL GET /{media-id} returns), with the same Bearer token",
        querystring: DownloadQuery,
      },
    },
    async (req, reply) => {
      const mid = signedMediaId(ctx, req.account, req.query);
      const media = mid ? await ownMedia(ctx, req.account, mid, files) : undefined;
      if (!media)
        return sendMetaError(
          reply,
          WA.invalidParameter.code,
          "The media URL has expired or the media does not exist: retrieve it again with GET /{media-id}",
          undefined,
          404,
        );
      return sendMediaBytes(reply, files, media, { disposition: "always" });
    },
  );
}

/**
 * The caller's live media `id`; with `phoneNumberId` (Meta's `?phone_number_id=`), only if it is
 * that phone number's — another number's media then reads as none, as Graph answers.
 */
async function mediaOf(
  ctx: AppContext,
  files: UploadedMediaFiles,
  req: FastifyRequest,
  id: string,
  phoneNumberId?: string,
) {
  const media = await ownMedia(ctx, req.account, id, files);
  if (!media || phoneNumberId === undefined) return media;
  const sender = await ctx.storage.catalog.findSenderByAlias(META_PHONE_NUMBER_ID, phoneNumberId);
  return sender && sender.number === media.sender ? media : undefined;
}

/** `GET /{id}` for media; undefined when `id` is not the caller's live media. */
export async function mediaObject(
  ctx: AppContext,
  files: UploadedMediaFiles,
  req: FastifyRequest,
  id: string,
  phoneNumberId?: string,
) {
  const media = await mediaOf(ctx, files, req, id, phoneNumberId);
  return media && mediaView(ctx, req, media);
}

export async function deleteMediaObject(
  ctx: AppContext,
  files: UploadedMediaFiles,
  req: FastifyRequest,
  reply: FastifyReply,
  id: string,
  phoneNumberId?: string,
) {
  const media = await mediaOf(ctx, files, req, id, phoneNumberId);
  if (!media) return unknownObject(reply, "DELETE", id);
  await removeMedia(ctx, files, media);
  return { success: true };
}
