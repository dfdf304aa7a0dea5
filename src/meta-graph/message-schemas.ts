/**
 * Meta Cloud API: the body of `POST /{phone-number-id}/messages` (api-reference C.1) — a send of
 * any type, or a read receipt. One schema per type object; the envelope names the one in use.
 * Limits are the core's to enforce; these schemas only give the shapes.
 */
import { type Static, Type } from "typebox";

const Str = (max = 4096) => Type.String({ maxLength: max });
const Opt = Type.Optional;

export const MediaObject = Type.Object({
  id: Opt(Str(200)),
  link: Opt(Str(4096)),
  caption: Opt(Str(4096)),
  filename: Opt(Str(1000)),
  voice: Opt(Type.Boolean()),
});
export type MediaObject = Static<typeof MediaObject>;

const Location = Type.Object({
  latitude: Type.Union([Type.Number(), Type.String({ maxLength: 40 })]),
  longitude: Type.Union([Type.Number(), Type.String({ maxLength: 40 })]),
  name: Opt(Str(1000)),
  address: Opt(Str(1000)),
});

const Kv = Type.Record(Type.String(), Type.String({ maxLength: 1000 }));
export const ContactObject = Type.Object({
  name: Type.Object({
    formatted_name: Str(1000),
    first_name: Opt(Str(1000)),
    last_name: Opt(Str(1000)),
    middle_name: Opt(Str(1000)),
    suffix: Opt(Str(1000)),
    prefix: Opt(Str(1000)),
  }),
  addresses: Opt(Type.Array(Kv, { maxItems: 20 })),
  birthday: Opt(Str(20)),
  emails: Opt(Type.Array(Kv, { maxItems: 20 })),
  org: Opt(Kv),
  phones: Opt(Type.Array(Kv, { maxItems: 20 })),
  urls: Opt(Type.Array(Kv, { maxItems: 20 })),
});
export type ContactObject = Static<typeof ContactObject>;

const InteractiveHeader = Type.Object({
  type: Type.Union([
    Type.Literal("text"),
    Type.Literal("image"),
    Type.Literal("video"),
    Type.Literal("document"),
  ]),
  text: Opt(Str()),
  image: Opt(MediaObject),
  video: Opt(MediaObject),
  document: Opt(MediaObject),
});

export const Interactive = Type.Object({
  type: Type.Union(
    [
      "button",
      "list",
      "cta_url",
      "flow",
      "location_request_message",
      "product",
      "product_list",
      "catalog_message",
      "address_message",
      "order_details",
      "order_status",
    ].map((t) => Type.Literal(t)),
  ),
  header: Opt(InteractiveHeader),
  body: Opt(Type.Object({ text: Str() })),
  footer: Opt(Type.Object({ text: Str() })),
  action: Type.Object({
    buttons: Opt(
      Type.Array(
        Type.Object({ type: Type.Literal("reply"), reply: Type.Object({ id: Str(1000), title: Str(1000) }) }),
        { maxItems: 20 },
      ),
    ),
    button: Opt(Str()),
    sections: Opt(
      Type.Array(
        Type.Object({
          title: Opt(Str()),
          rows: Opt(
            Type.Array(Type.Object({ id: Str(1000), title: Str(1000), description: Opt(Str()) }), {
              maxItems: 100,
            }),
          ),
          product_items: Opt(Type.Array(Type.Object({ product_retailer_id: Str(1000) }), { maxItems: 100 })),
        }),
        { maxItems: 50 },
      ),
    ),
    name: Opt(Str(100)),
    // Shapes of the parameters OpenBSP reads (cta_url, flow); others pass through unread.
    parameters: Opt(
      Type.Object({
        flow_message_version: Opt(
          Type.Union([Type.Integer({ minimum: 1, maximum: 99 }), Type.String({ pattern: "^[0-9]{1,2}$" })]),
        ),
        flow_action_payload: Opt(
          Type.Object({ screen: Opt(Str(200)), data: Opt(Type.Record(Type.String(), Type.Unknown())) }),
        ),
      }),
    ),
    catalog_id: Opt(Str(200)),
    product_retailer_id: Opt(Str(1000)),
  }),
});
export type Interactive = Static<typeof Interactive>;

const Parameter = Type.Object({
  type: Type.String({ maxLength: 40 }),
  text: Opt(Str(32768)),
  payload: Opt(Str(1000)),
  coupon_code: Opt(Str(1000)),
  image: Opt(MediaObject),
  video: Opt(MediaObject),
  document: Opt(MediaObject),
  location: Opt(Location),
  currency: Opt(
    Type.Object({ fallback_value: Str(1000), code: Opt(Str(10)), amount_1000: Opt(Type.Number()) }),
  ),
  date_time: Opt(Type.Object({ fallback_value: Str(1000) })),
  action: Opt(
    Type.Object({
      flow_token: Opt(Str(1000)),
      flow_action_data: Opt(Type.Record(Type.String(), Type.Unknown())),
      thumbnail_product_retailer_id: Opt(Str(1000)),
      sections: Opt(
        Type.Array(
          Type.Object({
            title: Opt(Str(1000)),
            product_items: Type.Array(Type.Object({ product_retailer_id: Str(1000) }), { maxItems: 100 }),
          }),
          { maxItems: 50 },
        ),
      ),
    }),
  ),
  // Milliseconds since 1970, within the range a date can hold.
  limited_time_offer: Opt(
    Type.Object({ expiration_time_ms: Opt(Type.Integer({ minimum: 0, maximum: 8.64e15 })) }),
  ),
  parameter_name: Opt(Str(200)),
});
export type Parameter = Static<typeof Parameter>;

const templateComponentFields = {
  type: Type.String({ maxLength: 40 }),
  sub_type: Opt(Type.String({ maxLength: 40 })),
  index: Opt(Type.Union([Type.String({ maxLength: 3 }), Type.Integer()])),
  parameters: Opt(Type.Array(Parameter, { maxItems: 100 })),
};

/** One carousel card's values: `card_index` and its header, body and button components. */
export const CardValues = Type.Object({
  card_index: Opt(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: "^[0-9]{1,2}$" })])),
  components: Type.Array(Type.Object(templateComponentFields), { maxItems: 10 }),
});
export type CardValues = Static<typeof CardValues>;

export const TemplateObject = Type.Object({
  name: Str(512),
  language: Type.Object({ code: Str(20), policy: Opt(Type.String()) }),
  components: Opt(
    Type.Array(
      Type.Object({ ...templateComponentFields, cards: Opt(Type.Array(CardValues, { maxItems: 50 })) }),
      { maxItems: 20 },
    ),
  ),
});
export type TemplateObject = Static<typeof TemplateObject>;

export const MessageRequest = Type.Object({
  messaging_product: Type.Literal("whatsapp"),
  recipient_type: Opt(Type.Union([Type.Literal("individual"), Type.Literal("group")])),
  to: Opt(Type.String({ minLength: 1, maxLength: 40 })),
  type: Opt(Type.String({ maxLength: 40 })),
  status: Opt(Type.Literal("read")),
  message_id: Opt(Str(200)),
  typing_indicator: Opt(Type.Object({ type: Type.String() })),
  context: Opt(Type.Object({ message_id: Str(200) })),
  biz_opaque_callback_data: Opt(Str(512)),
  text: Opt(Type.Object({ body: Str(65536), preview_url: Opt(Type.Boolean()) })),
  image: Opt(MediaObject),
  audio: Opt(MediaObject),
  video: Opt(MediaObject),
  document: Opt(MediaObject),
  sticker: Opt(MediaObject),
  location: Opt(Location),
  contacts: Opt(Type.Array(ContactObject, { maxItems: 257 })),
  interactive: Opt(Interactive),
  template: Opt(TemplateObject),
  reaction: Opt(Type.Object({ message_id: Str(200), emoji: Opt(Str(20)) })),
});
export type MessageRequest = Static<typeof MessageRequest>;

export const MessageResponse = Type.Object({
  messaging_product: Type.Literal("whatsapp"),
  contacts: Type.Array(Type.Object({ input: Type.String(), wa_id: Type.String() })),
  messages: Type.Array(Type.Object({ id: Type.String(), message_status: Opt(Type.String()) })),
});

export const Success = Type.Object({ success: Type.Boolean() });

export const MetaError = Type.Object({
  error: Type.Object({
    message: Type.String(),
    type: Type.String(),
    code: Type.Integer(),
    error_subcode: Opt(Type.Integer()),
    error_data: Opt(Type.Object({ messaging_product: Type.String(), details: Type.String() })),
    fbtrace_id: Type.String(),
  }),
});
export type MetaError = Static<typeof MetaError>;
