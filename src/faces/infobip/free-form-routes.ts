/** POST /whatsapp/1/message/{document,image,audio,video,sticker,location,contact} (api-reference A.4). */

import type { TSchema } from "typebox";
import { acceptMessages } from "../../app/accept-messages.ts";
import type { AppContext } from "../../app/context.ts";
import type { FreeFormContent } from "../../core/free-form-content.ts";
import type { OutboundRequest } from "../../core/message.ts";
import type { FaceApp, SchemaBody } from "../kit/dialect.ts";
import { built, type Translated } from "../kit/translated.ts";
import { sendUntranslated } from "./infobip-errors.ts";
import { SingleMessageInfo } from "./schemas/common.ts";
import {
  AudioBody,
  ContactBody,
  DocumentBody,
  ImageBody,
  LocationBody,
  StickerBody,
  VideoBody,
} from "./schemas/free-form-schemas.ts";
import { type AcceptedInfo, answer, errors, info } from "./send-routes.ts";
import { envelopeOf } from "./to-core.ts";

/** A free-form send route: its schema, and how a body it admits becomes the core's request. */
function freeForm<S extends TSchema>(
  type: FreeFormContent["type"],
  schema: S,
  summary: string,
  request: (body: SchemaBody<S>) => Translated<OutboundRequest>,
) {
  return (app: FaceApp, ctx: AppContext) =>
    app.post(
      `/whatsapp/1/message/${type}`,
      {
        schema: {
          tags: ["Infobip: send"],
          summary: `${summary} (inside the 24-hour window)`,
          body: schema,
          response: { 200: SingleMessageInfo, ...errors },
        },
      },
      async (req, reply) => {
        const translated = request(req.body);
        if (!translated.ok) return sendUntranslated(reply, translated);
        const result = await acceptMessages(ctx, req.account, "infobip", [translated.value]);
        return answer(
          reply,
          result,
          (ok) => info(ok.messages[0] as AcceptedInfo),
          (field) => field,
        );
      },
    );
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

/** The send's envelope (its `to` read once, as a recipient) with the content the route builds. */
function withContent(
  b: Parameters<typeof envelopeOf>[0],
  content: FreeFormContent,
): Translated<OutboundRequest> {
  const envelope = envelopeOf(b);
  return envelope.ok ? built({ ...envelope.value, content }) : envelope;
}

const ROUTES = [
  freeForm("document", DocumentBody, "Send a document", (b) =>
    withContent(b, {
      type: "document",
      mediaUrl: b.content.mediaUrl,
      ...optional("caption", b.content.caption),
      ...optional("filename", b.content.filename),
    }),
  ),
  freeForm("image", ImageBody, "Send an image", (b) =>
    withContent(b, {
      type: "image",
      mediaUrl: b.content.mediaUrl,
      ...optional("caption", b.content.caption),
    }),
  ),
  freeForm("audio", AudioBody, "Send audio", (b) =>
    withContent(b, { type: "audio", mediaUrl: b.content.mediaUrl, ...optional("voice", b.content.voice) }),
  ),
  freeForm("video", VideoBody, "Send a video", (b) =>
    withContent(b, {
      type: "video",
      mediaUrl: b.content.mediaUrl,
      ...optional("caption", b.content.caption),
    }),
  ),
  freeForm("sticker", StickerBody, "Send a sticker", (b) =>
    withContent(b, { type: "sticker", mediaUrl: b.content.mediaUrl }),
  ),
  freeForm("location", LocationBody, "Send a location", (b) =>
    withContent(b, {
      type: "location",
      latitude: b.content.latitude,
      longitude: b.content.longitude,
      ...optional("name", b.content.name),
      ...optional("address", b.content.address),
    }),
  ),
  freeForm("contact", ContactBody, "Send contact cards", (b) =>
    withContent(b, { type: "contact", contacts: b.content.contacts }),
  ),
];

export function freeFormRoutes(app: FaceApp, ctx: AppContext): void {
  for (const register of ROUTES) register(app, ctx);
}
