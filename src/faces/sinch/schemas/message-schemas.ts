/**
 * Sinch WhatsApp API v1 message objects (api-reference B.2), snake_case as Sinch spells them.
 * Shapes only: lengths and other WhatsApp limits are the core's rules, checked after translation.
 */
import { type Static, Type } from "typebox";

const provider = Type.Optional(
  Type.String({ description: "Media provider name (accepted, not used: links are not fetched)" }),
);

export const TemplateButton = Type.Object({
  type: Type.Enum(["call", "url", "quick_reply"]),
  parameter: Type.Optional(Type.String({ description: "url buttons: the variable part of a dynamic URL" })),
  payload: Type.Optional(Type.String({ description: "quick_reply buttons: returned when the user taps it" })),
});

export const TemplateMedia = Type.Object({
  type: Type.Enum(["text", "image", "video", "document"]),
  url: Type.Optional(Type.String()),
  filename: Type.Optional(Type.String({ description: "document: the file name shown (default `Filename`)" })),
  provider,
});

export const TemplateMessage = Type.Object({
  type: Type.Literal("template"),
  template_name: Type.String(),
  language: Type.Optional(Type.String({ description: "default `en`" })),
  header_params: Type.Optional(Type.Array(Type.String())),
  body_params: Type.Optional(Type.Array(Type.String())),
  media: Type.Optional(TemplateMedia),
  buttons: Type.Optional(Type.Array(TemplateButton)),
  ttl: Type.Optional(Type.String({ description: "Deprecated by Sinch; accepted and ignored" })),
});

export const TextMessage = Type.Object({
  type: Type.Literal("text"),
  text: Type.String(),
  preview_url: Type.Optional(Type.Boolean()),
});

const media = <T extends string>(type: T) =>
  Type.Object({
    type: Type.Literal(type),
    url: Type.String(),
    caption: Type.Optional(Type.String()),
    provider,
  });

export const ImageMessage = media("image");
export const VideoMessage = media("video");
export const DocumentMessage = Type.Object({
  type: Type.Literal("document"),
  url: Type.String(),
  filename: Type.Optional(Type.String()),
  caption: Type.Optional(Type.String()),
  provider,
});
export const AudioMessage = Type.Object({ type: Type.Literal("audio"), url: Type.String(), provider });

export const LocationMessage = Type.Object({
  type: Type.Literal("location"),
  lat: Type.Number(),
  lng: Type.Number(),
  name: Type.Optional(Type.String()),
  address: Type.Optional(Type.String()),
});

/** Optional string fields plus a `type` (HOME, WORK, CELL…), as contact card entries have. */
const typed = <T extends Record<string, ReturnType<typeof Type.String>>>(fields: T) =>
  Type.Array(Type.Partial(Type.Object({ ...fields, type: Type.String() })));

export const ContactCard = Type.Object({
  name: Type.Object({
    formatted_name: Type.String(),
    first_name: Type.String(),
    last_name: Type.Optional(Type.String()),
    middle_name: Type.Optional(Type.String()),
    suffix: Type.Optional(Type.String()),
    prefix: Type.Optional(Type.String()),
  }),
  addresses: Type.Optional(
    typed({
      street: Type.String(),
      city: Type.String(),
      state: Type.String(),
      zip: Type.String(),
      country: Type.String(),
      country_code: Type.String(),
    }),
  ),
  birthday: Type.Optional(Type.String()),
  emails: Type.Optional(typed({ email: Type.String() })),
  org: Type.Optional(
    Type.Object({
      company: Type.Optional(Type.String()),
      department: Type.Optional(Type.String()),
      title: Type.Optional(Type.String()),
    }),
  ),
  phones: Type.Optional(typed({ phone: Type.String(), wa_id: Type.String() })),
  urls: Type.Optional(typed({ url: Type.String() })),
});
export type ContactCard = Static<typeof ContactCard>;

export const ContactsMessage = Type.Object({
  type: Type.Literal("contacts"),
  contacts: Type.Array(ContactCard),
});

export const StickerMessage = Type.Object({
  type: Type.Literal("sticker"),
  url: Type.Optional(Type.String({ description: "Exactly one of url and id" })),
  id: Type.Optional(Type.String({ description: "A stickerpack sticker (not built: answers 501)" })),
  provider,
});

const Text = Type.Object({ text: Type.String() });

export const ButtonHeader = Type.Object({
  type: Type.Enum(["text", "image", "video", "document"]),
  text: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  filename: Type.Optional(Type.String()),
  provider,
});

export const InteractiveButton = Type.Object({
  type: Type.Literal("button"),
  header: Type.Optional(ButtonHeader),
  body: Text,
  footer: Type.Optional(Text),
  action: Type.Object({
    buttons: Type.Array(
      Type.Object({ type: Type.Literal("reply"), id: Type.String(), title: Type.String() }),
    ),
  }),
});

export const InteractiveList = Type.Object({
  type: Type.Literal("list"),
  header: Type.Optional(Type.Object({ type: Type.Literal("text"), text: Type.String() })),
  body: Text,
  footer: Type.Optional(Text),
  action: Type.Object({
    button: Type.String(),
    sections: Type.Array(
      Type.Object({
        title: Type.Optional(Type.String()),
        rows: Type.Array(
          Type.Object({ id: Type.String(), title: Type.String(), description: Type.Optional(Type.String()) }),
        ),
      }),
    ),
  }),
});

export const INTERACTIVE_KINDS = { button: InteractiveButton, list: InteractiveList } as const;

/** The interactive envelope with its inner message only typed: the inner one is checked by its kind. */
export const InteractiveShell = Type.Object({
  type: Type.Literal("interactive"),
  message: Type.Object({
    type: Type.Enum(Object.keys(INTERACTIVE_KINDS) as (keyof typeof INTERACTIVE_KINDS)[]),
  }),
});

export const InteractiveMessage = Type.Object({
  type: Type.Literal("interactive"),
  message: Type.Union([InteractiveButton, InteractiveList]),
});

export const MESSAGE_TYPES = {
  template: TemplateMessage,
  text: TextMessage,
  image: ImageMessage,
  video: VideoMessage,
  document: DocumentMessage,
  audio: AudioMessage,
  location: LocationMessage,
  contacts: ContactsMessage,
  sticker: StickerMessage,
  interactive: InteractiveMessage,
} as const;
export type MessageType = keyof typeof MESSAGE_TYPES;

export const SinchMessage = Type.Union([
  TemplateMessage,
  TextMessage,
  ImageMessage,
  VideoMessage,
  DocumentMessage,
  AudioMessage,
  LocationMessage,
  ContactsMessage,
  StickerMessage,
  InteractiveMessage,
]);

export type TemplateMessage = Static<typeof TemplateMessage>;
export type TextMessage = Static<typeof TextMessage>;
export type DocumentMessage = Static<typeof DocumentMessage>;
export type MediaMessage = Static<typeof ImageMessage>;
export type AudioMessage = Static<typeof AudioMessage>;
export type LocationMessage = Static<typeof LocationMessage>;
export type ContactsMessage = Static<typeof ContactsMessage>;
export type StickerMessage = Static<typeof StickerMessage>;
export type InteractiveButton = Static<typeof InteractiveButton>;
export type InteractiveList = Static<typeof InteractiveList>;
export type InteractiveMessage = Static<typeof InteractiveMessage>;
export type SinchMessage = Static<typeof SinchMessage>;
