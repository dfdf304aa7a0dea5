/**
 * A user's message in Meta's `messages` webhook (api-reference C.3, Meta's webhook examples in its
 * OpenAPI document and its messages webhook reference): `{from, id, timestamp, type, <type>}` with
 * the type's object. Media carry `{id, mime_type, sha256}` and no URL: the business fetches them
 * with Meta's two hops (`GET /{media-id}`, then the short-lived URL).
 */
import type { ContactCard } from "../../core/free-form-content.ts";
import type { InboundContent, InboundMedia, InboundMessage } from "../../core/inbound.ts";
import { WA } from "../../core/whatsapp-errors.ts";

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined || value === "" ? {} : { [key]: value }) as { [P in K]?: V };

function media(m: InboundMedia, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...optional("caption", m.caption), mime_type: m.mimeType, sha256: m.sha256, id: m.id, ...extra };
}

/** A contact card in Meta's snake_case (ContactObject); addresses may come with Infobip's `countryCode`. */
function contact(c: ContactCard): Record<string, unknown> {
  const n = c.name;
  return {
    ...optional(
      "addresses",
      c.addresses?.map(({ countryCode, ...a }) => ({
        ...a,
        ...optional("country_code", a.country_code ?? countryCode),
      })),
    ),
    ...optional("birthday", c.birthday),
    ...optional("emails", c.emails),
    name: {
      formatted_name: n.formattedName,
      ...optional("first_name", n.firstName),
      ...optional("last_name", n.lastName),
      ...optional("middle_name", n.middleName),
      ...optional("suffix", n.nameSuffix),
      ...optional("prefix", n.namePrefix),
    },
    ...optional("org", c.org),
    ...optional(
      "phones",
      c.phones?.map((p) => ({
        ...optional("phone", p.phone),
        ...optional("wa_id", p.waId),
        ...optional("type", p.type),
      })),
    ),
    ...optional("urls", c.urls),
  };
}

/** `type` and the type's object. */
export function inboundPayload(c: InboundContent): Record<string, unknown> {
  switch (c.type) {
    case "text":
      return { type: "text", text: { body: c.text } };
    case "image":
      return { type: "image", image: media(c.media) };
    case "video":
      return { type: "video", video: media(c.media) };
    case "audio":
      return { type: "audio", audio: media(c.media, { voice: c.voice }) };
    case "document":
      return { type: "document", document: media(c.media, optional("filename", c.media.filename)) };
    case "sticker":
      return { type: "sticker", sticker: media(c.media, { animated: c.animated }) };
    case "location":
      return {
        type: "location",
        location: {
          ...optional("address", c.address),
          latitude: c.latitude,
          longitude: c.longitude,
          ...optional("name", c.name),
          ...optional("url", c.url),
        },
      };
    case "contacts":
      return { type: "contacts", contacts: c.contacts.map(contact) };
    case "reaction":
      // A removed reaction comes without `emoji` (Meta's reaction webhook reference).
      return { type: "reaction", reaction: { message_id: c.messageId, ...optional("emoji", c.emoji) } };
    case "button":
      return { type: "button", button: { payload: c.payload, text: c.text } };
    case "button_reply":
      return {
        type: "interactive",
        interactive: { type: "button_reply", button_reply: { id: c.id, title: c.title } },
      };
    case "list_reply":
      return {
        type: "interactive",
        interactive: {
          type: "list_reply",
          list_reply: { id: c.id, title: c.title, ...optional("description", c.description) },
        },
      };
    case "flow_reply":
      return {
        type: "interactive",
        interactive: {
          type: "nfm_reply",
          nfm_reply: { name: c.name, body: c.body, response_json: c.responseJson },
        },
      };
    case "order":
      // `text` is always there, empty when the user wrote none (Meta's order example).
      return {
        type: "order",
        order: {
          catalog_id: c.catalogId,
          text: c.text ?? "",
          product_items: c.items.map((i) => ({
            product_retailer_id: i.productRetailerId,
            quantity: i.quantity,
            item_price: i.itemPrice,
            currency: i.currency,
          })),
        },
      };
    case "unsupported": {
      const e = WA.unsupportedMessageType;
      return {
        type: "unsupported",
        errors: [
          { code: e.code, title: e.title, message: e.title, error_data: { details: e.details ?? e.title } },
        ],
      };
    }
  }
}

/**
 * One `messages[]` item. `context` says which message the user quoted and who sent it: Meta
 * matches every quote, so one OpenBSP could not match (an outbound message older than Infobip's
 * 4-day cache) is still worded with its sender, the business number. A reaction has no context:
 * the message it reacts to is in `reaction.message_id`.
 */
export function inboundItem(m: InboundMessage): Record<string, unknown> {
  const quoted =
    m.quote && m.content.type !== "reaction"
      ? { context: { from: m.quote.from ?? m.to, id: m.quote.messageId } }
      : {};
  return {
    ...quoted,
    from: m.from,
    id: m.messageId,
    timestamp: String(Math.floor(m.receivedAt / 1000)),
    ...inboundPayload(m.content),
  };
}
