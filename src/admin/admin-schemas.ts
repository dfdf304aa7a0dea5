/** The admin API's request and answer shapes (TypeBox: validation, types and the OpenAPI document). */
import { Type } from "typebox";
import { THROUGHPUT_TIERS } from "../core/account.ts";

const HttpUrl = Type.String({ pattern: "^https?://\\S+$", maxLength: 2000, description: "An http(s) URL" });
const nullable = <T extends Parameters<typeof Type.Optional>[0]>(t: T) =>
  Type.Optional(Type.Union([t, Type.Null()], { description: "null removes the setting" }));
const strict = { additionalProperties: false } as const;

export const AccountIdParams = Type.Object({ accountId: Type.String({ minLength: 1, maxLength: 100 }) });

export const NewAccountBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    businessVerified: Type.Optional(
      Type.Boolean({ description: "Templates of a verified business are reviewed at once" }),
    ),
  },
  strict,
);

export const AccountChangeBody = Type.Partial(NewAccountBody, strict);

export const AccountView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  businessVerified: Type.Boolean(),
  metaAppId: Type.String({
    description:
      "The account's Meta app id, for Graph's /{app-id}/subscriptions (webhook callback and fields)",
  }),
});

export const NewApiKeyBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })) },
  strict,
);

export const ApiKeyView = Type.Object({
  id: Type.String(),
  name: Type.Optional(Type.String()),
  hint: Type.String({ description: "The key's last 4 characters" }),
  createdAt: Type.String({ format: "date-time" }),
  revokedAt: Type.Optional(Type.String({ format: "date-time" })),
});

export const MadeApiKeyView = Type.Intersect([
  ApiKeyView,
  Type.Object({ key: Type.String({ description: "The secret: shown this once, stored only as a hash" }) }),
]);

export const KeyParams = Type.Object({
  accountId: Type.String({ minLength: 1, maxLength: 100 }),
  keyId: Type.String({ minLength: 1, maxLength: 100 }),
});

const SenderFields = {
  wabaId: Type.Optional(
    Type.String({
      pattern: "^[1-9][0-9]{5,19}$",
      description: "Default: the account's WABA (of its first sender), or a new one",
    }),
  ),
  metaPhoneNumberId: Type.Optional(
    Type.String({
      pattern: "^[1-9][0-9]{5,19}$",
      description: "Meta face: `/{phone-number-id}/…`; generated if absent",
    }),
  ),
  sinchBotId: Type.Optional(
    Type.String({
      pattern: "^[A-Za-z0-9_-]{1,64}$",
      description: "Sinch face: `/whatsapp/v1/{bot-id}/…`; generated if absent",
    }),
  ),
  throughputTier: Type.Optional(Type.Enum([...THROUGHPUT_TIERS])),
  throughputMps: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 1_000_000,
      description:
        "Messages per second the dispatcher sends this number's messages at (Meta: 80 by default, up to 1,000); 0: unpaced. Default: kept, else 80",
    }),
  ),
  businessVerified: Type.Optional(Type.Boolean()),
  markAsRead: Type.Optional(Type.Boolean({ description: "Infobip's mark-as-read feature (off by default)" })),
};

export const NewSenderBody = Type.Object(
  {
    number: Type.String({ pattern: "^[1-9][0-9]{6,14}$", description: "International format, digits only" }),
    ...SenderFields,
  },
  strict,
);

export const SenderParams = Type.Object({
  accountId: Type.String({ minLength: 1, maxLength: 100 }),
  number: Type.String({ minLength: 1, maxLength: 20 }),
});

export const SenderView = Type.Object({
  number: Type.String(),
  wabaId: Type.String(),
  metaPhoneNumberId: Type.Optional(Type.String()),
  sinchBotId: Type.Optional(Type.String()),
  throughputTier: Type.Optional(Type.String()),
  throughputMps: Type.Optional(Type.Integer()),
  businessVerified: Type.Optional(Type.Boolean()),
  markAsRead: Type.Optional(Type.Boolean()),
});

/** Each dialect's default webhook settings; a message's own notifyUrl/callback still wins for its reports. */
export const SettingsBody = Type.Object(
  {
    infobip: Type.Optional(
      Type.Object(
        {
          deliveryUrl: nullable(HttpUrl),
          inboundUrl: nullable(HttpUrl),
          markAsRead: nullable(Type.Boolean()),
        },
        strict,
      ),
    ),
    meta: Type.Optional(
      Type.Object(
        {
          webhookUrl: nullable(HttpUrl),
          appSecret: nullable(
            Type.String({ minLength: 8, maxLength: 500, description: "Signs X-Hub-Signature-256" }),
          ),
          verifyToken: nullable(
            Type.String({
              minLength: 1,
              maxLength: 500,
              description: "With webhookUrl: the hub.challenge handshake runs first",
            }),
          ),
        },
        strict,
      ),
    ),
    sinch: Type.Optional(Type.Object({ callbackUrl: nullable(HttpUrl) }, strict)),
  },
  strict,
);

export const SettingsView = Type.Record(Type.String(), Type.Record(Type.String(), Type.String()), {
  description: "Settings per dialect; secrets read as <redacted>",
});
