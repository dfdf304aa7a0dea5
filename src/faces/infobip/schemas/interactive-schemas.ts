/** Request schemas of Infobip's interactive buttons and list sends (api-reference A.5). */
import { type Static, Type } from "typebox";
import { envelope } from "./common.ts";

const Body = Type.Object({ text: Type.String() });
const Footer = Type.Object({ text: Type.String() });

export const ButtonsBody = Type.Object({
  ...envelope,
  content: Type.Object({
    body: Body,
    action: Type.Object({
      buttons: Type.Array(Type.Object({ type: Type.Enum(["REPLY"]), id: Type.String(), title: Type.String() })),
    }),
    header: Type.Optional(
      Type.Object({
        type: Type.Enum(["TEXT", "IMAGE", "VIDEO", "DOCUMENT"]),
        text: Type.Optional(Type.String()),
        mediaUrl: Type.Optional(Type.String()),
        filename: Type.Optional(Type.String({ maxLength: 240 })),
      }),
    ),
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
          rows: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), description: Type.Optional(Type.String()) })),
        }),
      ),
    }),
    header: Type.Optional(Type.Object({ type: Type.Enum(["TEXT"]), text: Type.String() })),
    footer: Type.Optional(Footer),
  }),
});
export type ListBody = Static<typeof ListBody>;
