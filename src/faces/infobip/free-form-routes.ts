/** POST /whatsapp/1/message/{document,image,audio,video,sticker,location,contact} (api-reference A.4). */
import type { FastifyInstance } from "fastify";
import type { TSchema } from "typebox";
import { acceptMessages } from "../../app/accept-messages.ts";
import type { AppContext } from "../../app/context.ts";
import type { FreeFormContent } from "../../core/free-form-content.ts";
import { groupErrors, sendError } from "./infobip-errors.ts";
import { SingleMessageInfo } from "./schemas/common.ts";
import {
  type AudioBody,
  AudioBody as AudioSchema,
  type ContactBody,
  ContactBody as ContactSchema,
  type DocumentBody,
  DocumentBody as DocumentSchema,
  ImageBody,
  type LocationBody,
  LocationBody as LocationSchema,
  type MediaBody,
  type StickerBody,
  StickerBody as StickerSchema,
  VideoBody,
} from "./schemas/free-form-schemas.ts";
import { type AcceptedInfo, answer, errors, info } from "./send-routes.ts";
import { envelopeOf } from "./to-core.ts";

interface FreeFormRoute {
  readonly type: FreeFormContent["type"];
  readonly schema: TSchema;
  readonly summary: string;
  // biome-ignore lint/suspicious/noExplicitAny: each route's body is validated by its own schema first
  readonly content: (body: any) => FreeFormContent;
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

const ROUTES: readonly FreeFormRoute[] = [
  {
    type: "document",
    schema: DocumentSchema,
    summary: "Send a document",
    content: ({ content: c }: DocumentBody) => ({
      type: "document", mediaUrl: c.mediaUrl, ...optional("caption", c.caption), ...optional("filename", c.filename),
    }),
  },
  {
    type: "image",
    schema: ImageBody,
    summary: "Send an image",
    content: ({ content: c }: MediaBody) => ({ type: "image", mediaUrl: c.mediaUrl, ...optional("caption", c.caption) }),
  },
  {
    type: "audio",
    schema: AudioSchema,
    summary: "Send audio",
    content: ({ content: c }: AudioBody) => ({ type: "audio", mediaUrl: c.mediaUrl, ...optional("voice", c.voice) }),
  },
  {
    type: "video",
    schema: VideoBody,
    summary: "Send a video",
    content: ({ content: c }: MediaBody) => ({ type: "video", mediaUrl: c.mediaUrl, ...optional("caption", c.caption) }),
  },
  {
    type: "sticker",
    schema: StickerSchema,
    summary: "Send a sticker",
    content: ({ content: c }: StickerBody) => ({ type: "sticker", mediaUrl: c.mediaUrl }),
  },
  {
    type: "location",
    schema: LocationSchema,
    summary: "Send a location",
    content: ({ content: c }: LocationBody) => ({
      type: "location", latitude: c.latitude, longitude: c.longitude, ...optional("name", c.name), ...optional("address", c.address),
    }),
  },
  {
    type: "contact",
    schema: ContactSchema,
    summary: "Send contact cards",
    content: ({ content: c }: ContactBody) => ({ type: "contact", contacts: c.contacts }),
  },
];

export function freeFormRoutes(app: FastifyInstance, ctx: AppContext): void {
  for (const r of ROUTES) {
    app.post(
      `/whatsapp/1/message/${r.type}`,
      {
        schema: {
          tags: ["Infobip: send"],
          summary: `${r.summary} (inside the 24-hour window)`,
          body: r.schema,
          response: { 200: SingleMessageInfo, ...errors },
        },
      },
      async (req, reply) => {
        const body = req.body as Parameters<typeof envelopeOf>[0];
        const envelope = envelopeOf(body);
        if (!envelope.ok) return sendError(reply, 400, groupErrors(envelope.errors));
        const request = { ...envelope.value, content: r.content(req.body) };
        const result = await acceptMessages(ctx, req.account, "infobip", [request]);
        return answer(reply, result, (ok) => info(ok.messages[0] as AcceptedInfo), (field) => field);
      },
    );
  }
}
