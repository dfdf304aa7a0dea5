/**
 * Media a WhatsApp user sends in a chat, kept by OpenBSP as WhatsApp's servers keep it: the bytes
 * (base64 data, or fetched from a link with the guard and limits of outbound media) checked
 * against WhatsApp's type and size rules, kept through the media files beside uploaded media, and
 * recorded in the media store as the user's (`origin: "inbound"`) in the business's account.
 */
import { Readable } from "node:stream";
import type { Sender } from "../core/account.ts";
import type { FieldError } from "../core/field-error.ts";
import type { InboundMedia } from "../core/inbound.ts";
import { checkMedia, fetchCap, MEDIA_RULES, type MediaKind } from "../core/media-rules.ts";
import type { UploadedMedia } from "../core/uploaded-media.ts";
import { WA } from "../core/whatsapp-errors.ts";
import type { MediaFiles } from "../store/media-files.ts";
import type { AppContext } from "./context.ts";
import { mediaId } from "./upload-media.ts";

/** Opens a link for its bytes (the media fetcher's `download`, with its address guard). */
export type OpenLink = (
  url: string,
) => Promise<
  | { readonly ok: true; readonly contentType: string; readonly body: Readable }
  | { readonly ok: false; readonly details: string }
>;

/** Where the bytes come from: inline (base64) with their type, or a link (its type, unless given). */
export type InboundMediaSource =
  | { readonly data: string; readonly mimeType: string }
  | { readonly link: string; readonly mimeType?: string };

export interface InboundMediaRequest {
  readonly kind: MediaKind;
  readonly source: InboundMediaSource;
  /** The business sender number the user writes to. */
  readonly sender: Sender;
  /** The user's number. */
  readonly from: string;
  readonly caption?: string;
  readonly filename?: string;
  /** Stickers: animated ones may be larger. */
  readonly animated?: boolean;
  /** The field the source sits in (`image`), for errors. */
  readonly field: string;
}

export type InboundMediaResult =
  | { readonly kind: "stored"; readonly media: InboundMedia }
  | { readonly kind: "invalid"; readonly error: FieldError };

export async function receiveInboundMedia(
  ctx: AppContext,
  files: MediaFiles,
  openLink: OpenLink,
  req: InboundMediaRequest,
): Promise<InboundMediaResult> {
  const invalid = (field: string, message: string): InboundMediaResult => ({
    kind: "invalid",
    error: { field: `${req.field}.${field}`, message, code: WA.mediaUploadError.code },
  });
  const where = "data" in req.source ? "data" : "link";
  let input: Readable;
  let mimeType: string;
  if ("data" in req.source) {
    input = Readable.from([Buffer.from(req.source.data, "base64")]);
    mimeType = req.source.mimeType.toLowerCase();
  } else {
    const opened = await openLink(req.source.link);
    if (!opened.ok) return invalid("link", opened.details);
    input = opened.body;
    // Left unread (a refused type, a size past the cap), the body errors as it is torn down: not a crash.
    input.on("error", () => undefined);
    mimeType = (req.source.mimeType ?? opened.contentType).toLowerCase();
  }
  // The type first: bytes of a type WhatsApp refuses are not worth reading.
  if (!MEDIA_RULES[req.kind].types.includes(mimeType)) {
    input.destroy();
    const problem = checkMedia(req.kind, { url: "", contentType: mimeType, size: 1, complete: true });
    return invalid(
      "data" in req.source ? "mime_type" : where,
      problem?.details ?? `unsupported type ${mimeType}`,
    );
  }
  let bytes: Awaited<ReturnType<MediaFiles["receive"]>>;
  try {
    bytes = await files.receive(input, fetchCap(req.kind));
  } catch (err) {
    return invalid(where, `Downloading media from weblink failed: ${(err as Error).message}`);
  }
  const size = bytes === "too-large" ? fetchCap(req.kind) + 1 : bytes.size;
  const problem = checkMedia(req.kind, {
    url: "",
    contentType: mimeType,
    size,
    complete: bytes !== "too-large",
    ...(req.animated ? { animated: true } : {}),
  });
  if (bytes === "too-large" || problem) {
    if (bytes !== "too-large") await files.discard(bytes);
    return invalid(where, problem?.details ?? "is too large");
  }
  const now = ctx.clock.now();
  const record: UploadedMedia = {
    id: mediaId(now),
    accountId: req.sender.accountId,
    sender: req.sender.number,
    mimeType,
    sha256: bytes.sha256,
    size: bytes.size,
    ...(req.filename ? { filename: req.filename } : {}),
    origin: "inbound",
    from: req.from,
    createdAt: now,
  };
  await files.keep(bytes, record.id);
  await ctx.storage.media.put(record);
  return {
    kind: "stored",
    media: {
      id: record.id,
      mimeType,
      sha256: record.sha256,
      size: record.size,
      ...(req.caption !== undefined ? { caption: req.caption } : {}),
      ...(req.filename !== undefined ? { filename: req.filename } : {}),
    },
  };
}
