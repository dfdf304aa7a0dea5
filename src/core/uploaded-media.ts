/**
 * Media a business uploaded (Meta's `/{phone-number-id}/media`), to be sent by id. The bytes live
 * outside the store; the record says what they are.
 */
import { MEDIA_RULES, type MediaKind } from "./media-rules.ts";

export interface UploadedMedia {
  /** Numeric, like Meta's media ids. */
  readonly id: string;
  readonly accountId: string;
  /** The sender number it was uploaded for. */
  readonly sender: string;
  readonly mimeType: string;
  readonly sha256: string;
  readonly size: number;
  readonly filename?: string;
  /** Who put it there: the business (uploaded to send by id) or a user (inbound, sent in a chat). */
  readonly origin: "upload" | "inbound";
  /** Inbound media: the user who sent it. */
  readonly from?: string;
  readonly createdAt: number;
}

/** Meta keeps uploaded media for 30 days, and inbound media for 30 days (seed 002). */
export const UPLOADED_MEDIA_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Whether media stored at `createdAt` is gone by `now` (30 days on, whoever put it there). */
export function mediaExpired(media: Pick<UploadedMedia, "createdAt">, now: number): boolean {
  return now >= media.createdAt + UPLOADED_MEDIA_TTL_MS;
}

/** Documents are served as attachments with their filename; other kinds are shown inline. */
export function isDocument(mimeType: string): boolean {
  return MEDIA_RULES.document.types.includes(mimeType);
}

/** Documents, the largest kind, may be 100 MB; no upload is read past that. */
export const MAX_UPLOAD_BYTES = MEDIA_RULES.document.maxBytes;

/** Why an upload of `mimeType` and `size` bytes cannot be sent on WhatsApp, or undefined. */
export function checkUpload(mimeType: string, size: number): string | undefined {
  const kind = (Object.keys(MEDIA_RULES) as MediaKind[]).find((k) => MEDIA_RULES[k].types.includes(mimeType));
  if (!kind) return `type ${mimeType || "(none)"} is not a media type WhatsApp supports`;
  if (size === 0) return "the file is empty";
  if (size > MEDIA_RULES[kind].maxBytes) return `a ${kind} may be at most ${MEDIA_RULES[kind].limit}`;
  return undefined;
}
