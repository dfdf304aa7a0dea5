/** Request and response schemas of Infobip's send endpoints (api-reference A.3, A.4, A.7). */
import { type Static, Type } from "typebox";
import { envelope, SingleMessageInfo } from "./common.ts";
import { OrderAction } from "./order-schemas.ts";

export const TemplateHeaderValue = Type.Object({
  type: Type.Enum(["TEXT", "IMAGE", "VIDEO", "GIF", "DOCUMENT", "LOCATION"]),
  placeholder: Type.Optional(Type.String({ minLength: 1 })),
  mediaUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
  filename: Type.Optional(Type.String({ minLength: 1, maxLength: 240 })),
  latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});

export const TemplateButtonValue = Type.Object({
  type: Type.String({ minLength: 1 }),
  parameter: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  flowToken: Type.Optional(Type.String({ maxLength: 3000 })),
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  thumbnailProductRetailerId: Type.Optional(Type.String({ minLength: 1 })),
  sections: Type.Optional(
    Type.Array(
      Type.Object({
        title: Type.String({ minLength: 1 }),
        productRetailerIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 1 }),
      }),
      {
        minItems: 1,
        maxItems: 10,
      },
    ),
  ),
  action: Type.Optional(OrderAction),
  callValidityPeriod: Type.Optional(Type.Integer()),
  callContextPayload: Type.Optional(Type.String()),
});

/** `TemplateCarouselContent`: every registered card's media, body values and dynamic buttons, in order. */
const TemplateCarouselValue = Type.Object({
  cards: Type.Array(
    Type.Object({
      header: TemplateHeaderValue,
      body: Type.Optional(Type.Object({ placeholders: Type.Array(Type.String({ minLength: 1 })) })),
      buttons: Type.Optional(
        Type.Array(
          Type.Object({
            type: Type.String({ minLength: 1 }),
            parameter: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
          }),
          {
            minItems: 1,
            maxItems: 2,
          },
        ),
      ),
    }),
    { minItems: 1, maxItems: 10 },
  ),
});

export const TemplateMessage = Type.Object({
  ...envelope,
  content: Type.Object({
    templateName: Type.String({ minLength: 1, maxLength: 512 }),
    language: Type.String({ minLength: 1 }),
    templateData: Type.Object({
      body: Type.Object({ placeholders: Type.Array(Type.String({ minLength: 1 })) }),
      header: Type.Optional(TemplateHeaderValue),
      buttons: Type.Optional(Type.Array(TemplateButtonValue, { maxItems: 10 })),
      limitedTimeOffer: Type.Optional(Type.Object({ expirationTime: Type.String({ minLength: 1 }) })),
      carousel: Type.Optional(TemplateCarouselValue),
      /** Order status templates are not built: a send that carries one answers 501. */
      orderStatus: Type.Optional(Type.Unknown()),
    }),
  }),
  smsFailover: Type.Optional(
    Type.Object({
      from: Type.String({ minLength: 1, maxLength: 24 }),
      text: Type.String({ minLength: 1, maxLength: 4096 }),
    }),
  ),
});
export type TemplateMessage = Static<typeof TemplateMessage>;

export const TemplateSendBody = Type.Object({
  messages: Type.Array(TemplateMessage, { minItems: 1 }),
  bulkId: Type.Optional(Type.String({ maxLength: 100 })),
});
export type TemplateSendBody = Static<typeof TemplateSendBody>;

export const TemplateSendResponse = Type.Object({
  messages: Type.Array(SingleMessageInfo),
  bulkId: Type.Optional(Type.String()),
});

export const TextSendBody = Type.Object({
  ...envelope,
  content: Type.Object({
    text: Type.String({ minLength: 1, maxLength: 4096 }),
    previewUrl: Type.Optional(Type.Boolean()),
  }),
});
export type TextSendBody = Static<typeof TextSendBody>;
