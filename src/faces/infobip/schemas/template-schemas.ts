/** Templates v2 bodies: registration, edit and the template object (api-reference A.10). */
import { type Static, Type } from "typebox";

const Button = Type.Object({
  type: Type.Enum([
    "QUICK_REPLY",
    "URL",
    "PHONE_NUMBER",
    "COPY_CODE",
    "FLOW",
    "CATALOG",
    "MULTI_PRODUCT",
    "ORDER_DETAILS",
    "VOICE_CALL",
    "REQUEST_CONTACT_INFO",
  ]),
  text: Type.Optional(Type.String({ maxLength: 25 })),
  url: Type.Optional(Type.String({ maxLength: 2000 })),
  example: Type.Optional(Type.String()),
  phoneNumber: Type.Optional(Type.String({ maxLength: 20 })),
  flowId: Type.Optional(
    Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: "^[0-9]{1,20}$" })]),
  ),
  flowAction: Type.Optional(Type.Enum(["NAVIGATE", "DATA_EXCHANGE"])),
  navigateScreen: Type.Optional(Type.String()),
  variant: Type.Optional(Type.Enum(["BRAZIL", "INDIA"])),
  callValidityPeriod: Type.Optional(Type.Integer()),
});

const AuthButton = Type.Object({
  otpType: Type.Enum(["COPY_CODE", "ONE_TAP"]),
  text: Type.Optional(Type.String({ maxLength: 25 })),
  autofillText: Type.Optional(Type.String()),
  packageName: Type.Optional(Type.String()),
  signatureHash: Type.Optional(Type.String()),
});

const Header = Type.Object({
  format: Type.Enum(["TEXT", "IMAGE", "VIDEO", "GIF", "DOCUMENT", "LOCATION"]),
  text: Type.Optional(Type.String()),
  example: Type.Optional(Type.String()),
});

/** `CarouselApiData`: 1–10 cards, each with a header, a body and 1–2 buttons. */
const Carousel = Type.Object({
  cards: Type.Array(
    Type.Object({
      header: Header,
      body: Type.Object({ text: Type.String(), examples: Type.Optional(Type.Array(Type.String())) }),
      buttons: Type.Array(Button, { minItems: 1, maxItems: 2 }),
    }),
    { minItems: 1, maxItems: 10 },
  ),
});

export const Structure = Type.Object({
  header: Type.Optional(Header),
  body: Type.Object({
    text: Type.Optional(Type.String()),
    examples: Type.Optional(Type.Array(Type.String())),
    addSecurityRecommendation: Type.Optional(Type.Boolean()),
  }),
  footer: Type.Optional(
    Type.Object({
      text: Type.Optional(Type.String()),
      codeExpirationMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 90 })),
    }),
  ),
  buttons: Type.Optional(Type.Array(Type.Union([Button, AuthButton]), { maxItems: 10 })),
  limitedTimeOffer: Type.Optional(
    Type.Object({ text: Type.String(), hasExpiration: Type.Optional(Type.Boolean()) }),
  ),
  shorteningOptions: Type.Optional(
    Type.Object({ customDomain: Type.String({ minLength: 1, maxLength: 253 }) }),
  ),
  carousel: Type.Optional(Carousel),
  type: Type.Optional(Type.String()),
});
export type Structure = Static<typeof Structure>;

const Platform = Type.Object({
  entityId: Type.Optional(Type.String()),
  applicationId: Type.Optional(Type.String()),
});

/** How long WhatsApp tries to deliver the template's sends (AUTHENTICATION templates; -1: Meta's default). */
const ValidityPeriod = Type.Object({
  amount: Type.Integer(),
  timeUnit: Type.Optional(Type.Enum(["SECONDS", "MINUTES"])),
});
export type ValidityPeriod = Static<typeof ValidityPeriod>;

export const TemplateCreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 512 }),
  language: Type.String({ minLength: 1 }),
  category: Type.Enum(["MARKETING", "UTILITY", "AUTHENTICATION"]),
  allowCategoryChange: Type.Optional(Type.Boolean()),
  structure: Structure,
  platform: Type.Optional(Platform),
  validityPeriod: Type.Optional(ValidityPeriod),
});
export type TemplateCreateBody = Static<typeof TemplateCreateBody>;

export const TemplateEditBody = Type.Object({
  category: Type.Optional(Type.Enum(["MARKETING", "UTILITY", "AUTHENTICATION"])),
  structure: Type.Optional(Structure),
  platform: Type.Optional(Platform),
  validityPeriod: Type.Optional(ValidityPeriod),
});
export type TemplateEditBody = Static<typeof TemplateEditBody>;

export const TemplateObject = Type.Object({
  id: Type.String(),
  businessAccountId: Type.Integer(),
  name: Type.String(),
  language: Type.String(),
  status: Type.String(),
  category: Type.String(),
  structure: Type.Unknown(),
  quality: Type.String(),
  platform: Type.Optional(Platform),
  createdAt: Type.String(),
  lastUpdatedAt: Type.String(),
  validityPeriod: Type.Optional(ValidityPeriod),
});
export type TemplateObject = Static<typeof TemplateObject>;

export const TemplateList = Type.Object({ templates: Type.Array(TemplateObject) });
export const TemplateParams = Type.Object({ sender: Type.String(), id: Type.String() });
export const TemplateNameParams = Type.Object({ sender: Type.String(), templateName: Type.String() });
