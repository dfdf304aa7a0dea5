/**
 * Media uploads (Meta's face): the bytes are received to a temporary file, checked against
 * WhatsApp's type and size rules, then recorded and kept — or discarded. Uploaded media is sent
 * by id and may be retrieved and deleted by its owner.
 */
import type { Readable } from "node:stream";
import type { Account, Sender } from "../core/account.ts";
import type { FieldError } from "../core/field-error.ts";
import { checkUpload, MAX_UPLOAD_BYTES } from "../core/uploaded-media.ts";
import type { UploadedMedia } from "../core/uploaded-media.ts";
import type { MediaFiles } from "../store/media-files.ts";
import type { AppContext } from "./context.ts";
import { WA } from "../core/whatsapp-errors.ts";

export type UploadResult = { readonly kind: "ok"; readonly media: UploadedMedia } | { readonly kind: "invalid"; readonly error: FieldError };

let lastId = 0;
/** Numeric ids like Meta's media ids, time-ordered (uploads and inbound media share them). */
export function mediaId(now: number): string {
  lastId = Math.max(lastId + 1, now * 1000 + 500);
  return String(lastId);
}

export async function uploadMedia(
  ctx: AppContext,
  files: MediaFiles,
  account: Account,
  sender: Sender,
  upload: { readonly file: Readable; readonly mimeType: string; readonly filename?: string },
): Promise<UploadResult> {
  const bytes = await files.receive(upload.file, MAX_UPLOAD_BYTES);
  if (bytes === "too-large") return { kind: "invalid", error: { field: "file", message: "is larger than 100 MB", code: WA.mediaUploadError.code } };
  const problem = checkUpload(upload.mimeType, bytes.size);
  if (problem) {
    await files.discard(bytes);
    return { kind: "invalid", error: { field: "file", message: problem, code: WA.mediaUploadError.code } };
  }
  const now = ctx.clock.now();
  const media: UploadedMedia = {
    id: mediaId(now),
    accountId: account.id,
    sender: sender.number,
    mimeType: upload.mimeType,
    sha256: bytes.sha256,
    size: bytes.size,
    ...(upload.filename ? { filename: upload.filename } : {}),
    origin: "upload",
    createdAt: now,
  };
  await files.keep(bytes, media.id);
  await ctx.storage.media.put(media);
  return { kind: "ok", media };
}

/** The caller's uploaded media `id`, if it exists and is theirs. */
export async function ownMedia(ctx: AppContext, account: Account, id: string): Promise<UploadedMedia | undefined> {
  const media = await ctx.storage.media.get(id);
  return media && media.accountId === account.id ? media : undefined;
}
