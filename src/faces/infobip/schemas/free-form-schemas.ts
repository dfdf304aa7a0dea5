/** Request schemas of Infobip's free-form sends (api-reference A.4): media, location, contact. */
import { type Static, Type } from "typebox";
import { envelope } from "./common.ts";

const mediaUrl = Type.String({ minLength: 1, maxLength: 2048 });
const caption = Type.Optional(Type.String({ maxLength: 3000 }));
/** audio, sticker, location and contact messages take no URL options. */
const { urlOptions: _urlOptions, ...plainEnvelope } = envelope;

export const DocumentBody = Type.Object({
  ...envelope,
  content: Type.Object({ mediaUrl, caption, filename: Type.Optional(Type.String({ maxLength: 240 })) }),
});
export const ImageBody = Type.Object({ ...envelope, content: Type.Object({ mediaUrl, caption }) });
export const VideoBody = Type.Object({ ...envelope, content: Type.Object({ mediaUrl, caption }) });
export const AudioBody = Type.Object({
  ...plainEnvelope,
  content: Type.Object({ mediaUrl, voice: Type.Optional(Type.Boolean()) }),
});
export const StickerBody = Type.Object({ ...plainEnvelope, content: Type.Object({ mediaUrl }) });
export const LocationBody = Type.Object({
  ...plainEnvelope,
  content: Type.Object({
    latitude: Type.Number(),
    longitude: Type.Number(),
    name: Type.Optional(Type.String({ maxLength: 1000 })),
    address: Type.Optional(Type.String({ maxLength: 1000 })),
  }),
});

/** A list of optional string fields plus a `type` (HOME, WORK, CELL…), as contact cards have. */
const typed = <T extends Record<string, ReturnType<typeof Type.String>>>(fields: T) =>
  Type.Array(Type.Partial(Type.Object({ ...fields, type: Type.String() })));

export const Contact = Type.Object({
  name: Type.Object({
    firstName: Type.String({ minLength: 1 }),
    formattedName: Type.String({ minLength: 1 }),
    lastName: Type.Optional(Type.String()),
    middleName: Type.Optional(Type.String()),
    nameSuffix: Type.Optional(Type.String()),
    namePrefix: Type.Optional(Type.String()),
  }),
  addresses: Type.Optional(
    typed({
      street: Type.String(),
      city: Type.String(),
      state: Type.String(),
      zip: Type.String(),
      country: Type.String(),
      countryCode: Type.String(),
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
  phones: Type.Optional(typed({ phone: Type.String(), waId: Type.String() })),
  urls: Type.Optional(typed({ url: Type.String() })),
});

export const ContactBody = Type.Object({
  ...plainEnvelope,
  content: Type.Object({ contacts: Type.Array(Contact, { minItems: 1 }) }),
});

export type DocumentBody = Static<typeof DocumentBody>;
export type AudioBody = Static<typeof AudioBody>;
export type MediaBody = Static<typeof ImageBody>;
export type StickerBody = Static<typeof StickerBody>;
export type LocationBody = Static<typeof LocationBody>;
export type ContactBody = Static<typeof ContactBody>;
