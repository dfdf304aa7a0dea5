/**
 * What a simulated user sends (`POST /sandbox/phones/{number}/messages`): today's `{to, text}`, or
 * a body shaped like the message object of Meta's inbound webhook (`type` and that type's object,
 * `context.message_id` to quote), so anyone who knows Meta's webhook knows it. Media comes as a
 * `link` OpenBSP fetches or as base64 `data` with its `mime_type`. One schema per type (media: per
 * source; interactive: per reply kind), so a wrong body is answered naming its field.
 */
import { type Static, type TSchema, Type } from "typebox";
import { Compile } from "typebox/compile";
import { ContactObject } from "../../meta-graph/message-schemas.ts";

const Str = (max = 4096, min = 0) => Type.String({ maxLength: max, ...(min > 0 ? { minLength: min } : {}) });
const Opt = Type.Optional;

const envelope = {
  to: Type.String({ minLength: 1, description: "The business sender number" }),
  messageId: Opt(
    Type.String({ minLength: 1, maxLength: 200, description: "The user's message id (default: generated)" }),
  ),
  contactName: Opt(Type.String({ maxLength: 200, description: "The user's profile name" })),
};
const Context = Type.Object(
  { message_id: Type.String({ minLength: 1, maxLength: 200 }) },
  { description: "The message of this chat the user quotes (replies to), outbound or inbound" },
);

/** Today's body: a text. */
export const TextBody = Type.Object({
  ...envelope,
  text: Type.String({ minLength: 1, maxLength: 4096 }),
  replyToMessageId: Opt(Type.String()),
});

function variant<T extends string, P extends Record<string, TSchema>>(type: T, fields: P) {
  return Type.Object({ ...envelope, type: Type.Literal(type), context: Opt(Context), ...fields });
}

const Base64 = Type.String({
  minLength: 1,
  pattern: "^[A-Za-z0-9+/\\s]*={0,2}\\s*$",
  description: "The bytes, base64",
});
const Link = Type.String({
  minLength: 1,
  maxLength: 4096,
  description: "Fetched by OpenBSP, like outbound media",
});
const MimeType = Type.String({ minLength: 1, maxLength: 200 });
/** The media types a user can send, with the fields each has besides its source. */
export const mediaExtras = {
  image: { caption: Opt(Str(1024)) },
  video: { caption: Opt(Str(1024)) },
  audio: { voice: Opt(Type.Boolean({ description: "A voice note recorded in the chat" })) },
  document: { caption: Opt(Str(1024)), filename: Opt(Str(240)) },
  sticker: { animated: Opt(Type.Boolean()) },
} as const;

function mediaSources<E extends Record<string, TSchema>>(extras: E) {
  return {
    data: Type.Object({ data: Base64, mime_type: MimeType, ...extras }),
    link: Type.Object({
      link: Link,
      mime_type: Opt(
        Type.String({ minLength: 1, maxLength: 200, description: "Default: the type the link answers with" }),
      ),
      ...extras,
    }),
  };
}

const Image = mediaSources(mediaExtras.image);
const Video = mediaSources(mediaExtras.video);
const Audio = mediaSources(mediaExtras.audio);
const Document = mediaSources(mediaExtras.document);
const Sticker = mediaSources(mediaExtras.sticker);

const Reply = Type.Object({ id: Str(256, 1), title: Str(100, 1) });

/** Every body but today's text, by a key: the type, plus the media source or the interactive kind. */
const VARIANTS = {
  text: variant("text", { text: Type.Object({ body: Str(4096, 1) }) }),
  "image:data": variant("image", { image: Image.data }),
  "image:link": variant("image", { image: Image.link }),
  "video:data": variant("video", { video: Video.data }),
  "video:link": variant("video", { video: Video.link }),
  "audio:data": variant("audio", { audio: Audio.data }),
  "audio:link": variant("audio", { audio: Audio.link }),
  "document:data": variant("document", { document: Document.data }),
  "document:link": variant("document", { document: Document.link }),
  "sticker:data": variant("sticker", { sticker: Sticker.data }),
  "sticker:link": variant("sticker", { sticker: Sticker.link }),
  location: variant("location", {
    location: Type.Object({
      latitude: Type.Number({ minimum: -90, maximum: 90 }),
      longitude: Type.Number({ minimum: -180, maximum: 180 }),
      name: Opt(Str(1000)),
      address: Opt(Str(1000)),
      url: Opt(Str(2000)),
    }),
  }),
  contacts: variant("contacts", { contacts: Type.Array(ContactObject, { minItems: 1, maxItems: 257 }) }),
  reaction: variant("reaction", {
    reaction: Type.Object({
      message_id: Str(200, 1),
      emoji: Opt(
        Type.String({ maxLength: 32, description: "Empty or absent: the user takes the reaction away" }),
      ),
    }),
  }),
  button: variant("button", { button: Type.Object({ payload: Str(1000), text: Str(256, 1) }) }),
  "interactive:button_reply": variant("interactive", {
    interactive: Type.Object({ type: Type.Literal("button_reply"), button_reply: Reply }),
  }),
  "interactive:list_reply": variant("interactive", {
    interactive: Type.Object({
      type: Type.Literal("list_reply"),
      list_reply: Type.Object({ id: Str(200, 1), title: Str(24, 1), description: Opt(Str(72)) }),
    }),
  }),
  "interactive:nfm_reply": variant("interactive", {
    interactive: Type.Object({
      type: Type.Literal("nfm_reply"),
      nfm_reply: Type.Object({
        response_json: Type.String({
          minLength: 2,
          maxLength: 100_000,
          description: "The JSON text the flow produced",
        }),
        body: Opt(Str(4096)),
        name: Opt(
          Type.String({ minLength: 1, maxLength: 100, description: "`flow` (default) or `address_message`" }),
        ),
      }),
    }),
  }),
  order: variant("order", {
    order: Type.Object({
      catalog_id: Str(200, 1),
      text: Opt(Str(4096)),
      product_items: Type.Array(
        Type.Object({
          product_retailer_id: Str(200, 1),
          quantity: Type.Integer({ minimum: 1 }),
          item_price: Type.Number({ minimum: 0 }),
          currency: Type.String({ pattern: "^[A-Z]{3}$" }),
        }),
        { minItems: 1, maxItems: 100 },
      ),
    }),
  }),
  unsupported: variant("unsupported", {}),
} as const;

type Key = keyof typeof VARIANTS;
export type TypedBody = Static<(typeof VARIANTS)[Key]>;
export type InboundBody = Static<typeof TextBody> | TypedBody;

/** A body in Meta's shape (with a `type`), not today's text. */
export function isTyped(body: InboundBody): body is TypedBody {
  return (body as { type?: unknown }).type !== undefined;
}

/** The body's schema (for validation typing and the OpenAPI document). */
export const InboundBodySchema = Type.Union([TextBody, ...Object.values(VARIANTS)]);

export const TYPES = [...new Set(Object.keys(VARIANTS).map((k) => k.split(":")[0]))];
const INTERACTIVE_KINDS = ["button_reply", "list_reply", "nfm_reply"];
const checkers = new Map<string, ReturnType<typeof Compile>>(
  [["legacy", TextBody] as const, ...Object.entries(VARIANTS)].map(([k, s]) => [k, Compile(s as TSchema)]),
);

/** A field the body gets wrong, and how: the first one found. */
export interface BodyProblem {
  readonly field: string;
  readonly message: string;
}

/** What is wrong with `body`, naming the field, or undefined when it is a valid body. */
export function inboundBodyProblem(body: unknown): BodyProblem | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body))
    return { field: "body", message: "must be a JSON object" };
  const b = body as Record<string, unknown>;
  const key = keyOf(b);
  if (typeof key !== "string") return key;
  const finding = (checkers.get(key) as ReturnType<typeof Compile>).Errors(body)[0];
  if (!finding) return undefined;
  const path = finding.instancePath.split("/").filter(Boolean);
  const params = finding.params as Record<string, unknown>;
  if (finding.keyword === "required") {
    const missing = Array.isArray(params.requiredProperties)
      ? params.requiredProperties[0]
      : params.missingProperty;
    return { field: dotted([...path, String(missing)]), message: "is required" };
  }
  return { field: dotted(path) || "body", message: finding.message ?? "is invalid" };
}

function keyOf(b: Record<string, unknown>): string | BodyProblem {
  if (b.type === undefined) return "legacy";
  if (typeof b.type !== "string" || !TYPES.includes(b.type))
    return { field: "type", message: `must be one of ${TYPES.join(", ")}` };
  if (b.type === "interactive") {
    const kind = (b.interactive as Record<string, unknown> | undefined)?.type;
    if (b.interactive === undefined) return { field: "interactive", message: "is required" };
    if (typeof kind !== "string" || !INTERACTIVE_KINDS.includes(kind)) {
      return { field: "interactive.type", message: `must be one of ${INTERACTIVE_KINDS.join(", ")}` };
    }
    return `interactive:${kind}`;
  }
  if (b.type in mediaExtras) {
    const media = b[b.type] as Record<string, unknown> | undefined;
    if (media === undefined) return { field: b.type, message: "is required" };
    if (typeof media !== "object" || media === null) return { field: b.type, message: "must be an object" };
    if (media.data === undefined && media.link === undefined)
      return { field: `${b.type}.link`, message: "is required (or data with mime_type)" };
    if (media.data !== undefined && media.link !== undefined)
      return { field: `${b.type}.data`, message: "must not be given with link" };
    return `${b.type}:${media.data !== undefined ? "data" : "link"}`;
  }
  return b.type;
}

const dotted = (path: readonly string[]) =>
  path.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), "");
