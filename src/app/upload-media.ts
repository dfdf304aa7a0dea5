/**
 * Media uploads (Meta's face): the bytes are received to a temporary file, checked against
 * WhatsApp's type and size rules, then recorded and kept — or discarded. Uploaded media is sent
 * by id and may be retrieved and deleted by its owner.
 */
import type { Readable } from "node:stream";
import type { Account, Sender } from "../core/account.ts";
import type { FieldError } from "../core/field-error.ts";
import type { UploadedMedia } from "../core/uploaded-media.ts";
import { checkUpload, MAX_UPLOAD_BYTES, mediaExpired } from "../core/uploaded-media.ts";
import { WA } from "../core/whatsapp-errors.ts";
import type { MediaFiles } from "../store/media-files.ts";
import type { AppContext } from "./context.ts";

export type UploadResult =
  | { readonly kind: "ok"; readonly media: UploadedMedia }
  | { readonly kind: "invalid"; readonly error: FieldError };

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
  if (bytes === "too-large")
    return {
      kind: "invalid",
      error: { field: "file", message: "is larger than 100 MB", code: WA.mediaUploadError.code },
    };
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

/**
 * The caller's media `id` (uploaded by the account, or sent in by a user to one of its senders),
 * if it exists, is theirs and has not expired. Another account's media and an expired id read as
 * none, so a caller cannot tell them apart. Given `files`, expired media is removed on the way
 * (lazily: nothing sweeps it otherwise).
 */
export async function ownMedia(
  ctx: AppContext,
  account: Account,
  id: string,
  files?: MediaFiles,
): Promise<UploadedMedia | undefined> {
  const media = await ctx.storage.media.get(id);
  if (!media) return undefined;
  if (mediaExpired(media, ctx.clock.now())) {
    if (files) await removeMedia(ctx, files, media);
    return undefined;
  }
  return media.accountId === account.id ? media : undefined;
}

/**
 * A user's media sent in to `sender` (inbound), if it is the caller's and alive: what Infobip's
 * and Sinch's inbound media URLs name.
 */
export async function ownInboundMedia(
  ctx: AppContext,
  files: MediaFiles,
  account: Account,
  sender: Sender,
  id: string,
): Promise<UploadedMedia | undefined> {
  const media = await ownMedia(ctx, account, id, files);
  return media && media.origin === "inbound" && media.sender === sender.number ? media : undefined;
}

/** Deletes the record first, so the media is gone to every reader before its bytes are. */
export async function removeMedia(ctx: AppContext, files: MediaFiles, media: UploadedMedia): Promise<void> {
  await ctx.storage.media.delete(media.id);
  await files.remove(media.id);
}
