/**
 * Stored media as an HTTP answer, the same on every face: its type and length, a document as an
 * attachment with its filename, and the bytes (none for HEAD, which only asks what they are).
 */
import type { FastifyReply } from "fastify";
import { isDocument, type UploadedMedia } from "../../core/uploaded-media.ts";
import type { MediaFiles } from "../../store/media-files.ts";

/** `attachment; filename="…"`, with the RFC 6266 `filename*` form when the name is not plain ASCII. */
export function attachmentDisposition(filename: string | undefined): string {
  if (!filename) return "attachment";
  const plain = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  if (plain === filename) return `attachment; filename="${plain}"`;
  // RFC 5987 allows fewer characters unencoded than encodeURIComponent leaves.
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${plain}"; filename*=UTF-8''${encoded}`;
}

export interface MediaAnswer {
  /** Every kind as an attachment (Meta's download URL), or only documents (inbound media URLs). */
  readonly disposition: "always" | "documents";
  /** HEAD: the headers without the bytes. */
  readonly head?: boolean;
}

export function sendMediaBytes(
  reply: FastifyReply,
  files: MediaFiles,
  media: UploadedMedia,
  answer: MediaAnswer,
) {
  reply.code(200).type(media.mimeType).header("content-length", String(media.size));
  if (answer.disposition === "always" || isDocument(media.mimeType))
    reply.header("content-disposition", attachmentDisposition(media.filename));
  return answer.head ? reply.send() : reply.send(files.read(media.id));
}
