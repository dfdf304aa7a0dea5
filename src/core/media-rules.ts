/**
 * WhatsApp's rules for media sent by link: which link a message carries, the types and sizes each
 * kind accepts (image jpeg/png ≤5 MB; video mp4/3gpp ≤16 MB; audio aac/amr/mpeg/mp4/ogg ≤16 MB;
 * documents text, pdf and office files ≤100 MB; stickers webp ≤100 KB, ≤500 KB animated), and
 * how long a fetched link is reused (10 minutes, like Meta). Failures are WhatsApp's 131053.
 */

import type { MessageContent } from "./message.ts";
import type { WhatsAppError } from "./message-status.ts";
import { WA } from "./whatsapp-errors.ts";

export type MediaKind = "image" | "video" | "audio" | "document" | "sticker";

const KB = 1024;
const MB = 1024 * KB;

interface KindRule {
  readonly types: readonly string[];
  readonly maxBytes: number;
  /** The printed limit, as WhatsApp words it. */
  readonly limit: string;
}

export const MEDIA_RULES: Readonly<Record<MediaKind, KindRule>> = {
  image: { types: ["image/jpeg", "image/png"], maxBytes: 5 * MB, limit: "5MB" },
  video: { types: ["video/mp4", "video/3gpp", "video/3gp"], maxBytes: 16 * MB, limit: "16MB" },
  audio: {
    types: ["audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg"],
    maxBytes: 16 * MB,
    limit: "16MB",
  },
  document: {
    types: [
      "text/plain",
      "application/pdf",
      "application/msword",
      "application/vnd.ms-excel",
      "application/vnd.ms-powerpoint",
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ],
    maxBytes: 100 * MB,
    limit: "100MB",
  },
  // Animated stickers may be 500 KB; a static one only 100 KB (checked in checkMedia).
  sticker: { types: ["image/webp"], maxBytes: 500 * KB, limit: "500KB" },
};
const STATIC_STICKER_BYTES = 100 * KB;

/** Meta reuses what it fetched from a link for 10 minutes. */
export const MEDIA_CACHE_MS = 600_000;

export function isCacheFresh(fetchedAt: number, now: number): boolean {
  return now - fetchedAt < MEDIA_CACHE_MS;
}

/** What was fetched from a link. `complete` is false when the download stopped at the size cap. */
export interface FetchedMedia {
  readonly url: string;
  /** The response's media type, without parameters, lower case. */
  readonly contentType: string;
  /** Bytes received; more than the cap when the download was cut short. */
  readonly size: number;
  readonly complete: boolean;
  /** Hex SHA-256 of the bytes (complete downloads only). */
  readonly sha256?: string;
  /** WebP with an animation flag (stickers). */
  readonly animated?: boolean;
}

/** The media a handset shows for a received message. */
export interface ReceivedMedia {
  readonly url: string;
  readonly contentType: string;
  readonly size: number;
  readonly sha256: string;
  readonly animated?: boolean;
}

/** The link a message's media is fetched from, and as which kind; undefined when it has none. */
export function mediaOf(content: MessageContent): { kind: MediaKind; url: string } | undefined {
  switch (content.type) {
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      return { kind: content.type, url: content.mediaUrl };
    case "template": {
      const h = content.header;
      if (h?.type === "IMAGE" || h?.type === "DOCUMENT")
        return { kind: h.type === "IMAGE" ? "image" : "document", url: h.mediaUrl };
      // A GIF header is an mp4 played as a loop.
      if (h?.type === "VIDEO" || h?.type === "GIF") return { kind: "video", url: h.mediaUrl };
      return undefined;
    }
    case "interactive_buttons":
    case "interactive_url_button":
    case "interactive_order_details": {
      const h = content.header;
      if (!h || h.type === "TEXT") return undefined;
      return {
        kind: h.type === "IMAGE" ? "image" : h.type === "VIDEO" ? "video" : "document",
        url: h.mediaUrl,
      };
    }
    default:
      return undefined;
  }
}

/** The links of a carousel's card headers, card by card; a phone downloads each like a message's media. */
export function cardMediaOf(content: MessageContent): { kind: MediaKind; url: string }[] {
  if (content.type !== "template" || !content.carousel) return [];
  return content.carousel.flatMap((card): { kind: MediaKind; url: string }[] => {
    const h = card.header;
    if (h?.type === "IMAGE") return [{ kind: "image", url: h.mediaUrl }];
    if (h?.type === "VIDEO" || h?.type === "GIF") return [{ kind: "video", url: h.mediaUrl }];
    return [];
  });
}

/** How many bytes to read at most for `kind`: one more tells that the file is too big. */
export function fetchCap(kind: MediaKind): number {
  return MEDIA_RULES[kind].maxBytes;
}

export function mediaUploadError(details: string): WhatsAppError {
  return { ...WA.mediaUploadError, details };
}

/** The error that keeps `media` from being sent as `kind`, or undefined when it may be sent. */
export function checkMedia(kind: MediaKind, media: FetchedMedia): WhatsAppError | undefined {
  const rule = MEDIA_RULES[kind];
  if (!rule.types.includes(media.contentType)) {
    const label = kind[0]?.toUpperCase() + kind.slice(1);
    return mediaUploadError(
      `Unsupported ${label} mime type ${media.contentType || "(none)"}. Please use one of ${rule.types.join(", ")}.`,
    );
  }
  if (media.size === 0) return mediaUploadError("The media file is empty.");
  const max = kind === "sticker" && !media.animated ? STATIC_STICKER_BYTES : rule.maxBytes;
  if (!media.complete || media.size > max) {
    const limit = kind === "sticker" && !media.animated ? "100KB (static stickers)" : rule.limit;
    return mediaUploadError(`Media file size too big. Max file size we currently support: ${limit}.`);
  }
  return undefined;
}

/** True for a WebP file whose VP8X header sets the animation flag (from its first 21 bytes). */
export function isAnimatedWebp(head: Uint8Array): boolean {
  const ascii = (from: number, to: number) => String.fromCharCode(...head.subarray(from, to));
  return (
    head.length >= 21 &&
    ascii(0, 4) === "RIFF" &&
    ascii(8, 12) === "WEBP" &&
    ascii(12, 16) === "VP8X" &&
    ((head[20] ?? 0) & 0x02) !== 0
  );
}
