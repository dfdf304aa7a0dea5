/** Request schemas of Infobip's interactive buttons and list sends (api-reference A.5). */
import { type Static, Type } from "typebox";
import { envelope } from "./common.ts";

const Body = Type.Object({ text: Type.String() });
const Footer = Type.Object({ text: Type.String() });
/** A text header, or an image, video or document one. */
const MediaOrTextHeader = Type.Object({
  type: Type.Enum(["TEXT", "IMAGE", "VIDEO", "DOCUMENT"]),
  text: Type.Optional(Type.String()),
  mediaUrl: Type.Optional(Type.String()),
  filename: Type.Optional(Type.String({ maxLength: 240 })),
});

export const ButtonsBody = Type.Object({
  ...envelope,
  content: Type.Object({
    body: Body,
    action: Type.Object({
      buttons: Type.Array(
        Type.Object({ type: Type.Enum(["REPLY"]), id: Type.String(), title: Type.String() }),
      ),
    }),
    header: Type.Optional(MediaOrTextHeader),
    footer: Type.Optional(Footer),
  }),
});
export type ButtonsBody = Static<typeof ButtonsBody>;

export const ListBody = Type.Object({
  ...envelope,
  content: Type.Object({
    body: Body,
    action: Type.Object({
      title: Type.String(),
      sections: Type.Array(
        Type.Object({
          title: Type.Optional(Type.String()),
          rows: Type.Array(
            Type.Object({
              id: Type.String(),
              title: Type.String(),
              description: Type.Optional(Type.String()),
            }),
          ),
        }),
      ),
    }),
    header: Type.Optional(Type.Object({ type: Type.Enum(["TEXT"]), text: Type.String() })),
    footer: Type.Optional(Footer),
  }),
});
export type ListBody = Static<typeof ListBody>;

export const LocationRequestBody = Type.Object({ ...envelope, content: Type.Object({ body: Body }) });
export type LocationRequestBody = Static<typeof LocationRequestBody>;

export const UrlButtonBody = Type.Object({
  ...envelope,
  content: Type.Object({
    body: Body,
    action: Type.Object({ displayText: Type.String(), url: Type.String() }),
    header: Type.Optional(MediaOrTextHeader),
    footer: Type.Optional(Footer),
  }),
});
export type UrlButtonBody = Static<typeof UrlButtonBody>;

export const ProductBody = Type.Object({
  ...envelope,
  content: Type.Object({
    action: Type.Object({ catalogId: Type.String(), productRetailerId: Type.String() }),
    body: Type.Optional(Body),
    footer: Type.Optional(Footer),
  }),
});
export type ProductBody = Static<typeof ProductBody>;

export const MultiProductBody = Type.Object({
  ...envelope,
  content: Type.Object({
    header: Type.Object({ type: Type.Enum(["TEXT"]), text: Type.String() }),
    body: Body,
    action: Type.Object({
      catalogId: Type.String(),
      sections: Type.Array(
        Type.Object({ title: Type.Optional(Type.String()), productRetailerIds: Type.Array(Type.String()) }),
      ),
    }),
    footer: Type.Optional(Footer),
  }),
});
export type MultiProductBody = Static<typeof MultiProductBody>;

export const FlowBody = Type.Object({
  ...envelope,
  content: Type.Object({
    body: Body,
    action: Type.Object({
      mode: Type.Optional(Type.Enum(["DRAFT", "PUBLISHED"])),
      flowMessageVersion: Type.Optional(Type.Integer()),
      flowToken: Type.String(),
      flowId: Type.String(),
      callToActionButton: Type.String(),
      flowAction: Type.Optional(Type.Enum(["NAVIGATE", "DATA_EXCHANGE"])),
      flowActionPayload: Type.Optional(
        Type.Object({
          screen: Type.String(),
          data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
        }),
      ),
    }),
    header: Type.Optional(Type.Object({ type: Type.Enum(["TEXT"]), text: Type.String() })),
    footer: Type.Optional(Footer),
  }),
});
export type FlowBody = Static<typeof FlowBody>;
