/**
 * A user's message in Sinch's WhatsApp API v1 callback (api-reference B.3; Sinch's "Callbacks"
 * page): one `notifications[]` item, `message` by type, media as a URL at which OpenBSP serves
 * them as Sinch does (`/whatsapp/v1/{bot-id}/media/{mediaId}`).
 *
 * Sinch's page and its examples disagree on locations: the table says `latitude`/`longitude`, one
 * example `lat`/`lng`; these follow the table (and api-reference B.3).
 *
 * Sinch v1 has no notification for reactions, flow replies (`nfm_reply`, address answers too) or
 * unsupported messages. Those reach the business as Sinch's own `error` notification, the one it
 * sends when it received something from WhatsApp it cannot pass on, with details that say what
 * the user did: dropping them would hide from a Sinch client that the user wrote at all, and a type
 * Sinch never had would break clients that switch on `message.type`.
 */
import type { ContactCard } from "../../core/free-form-content.ts";
import type { InboundContent, InboundMedia, InboundMessage } from "../../core/inbound.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import { sinchTime } from "./sinch-time.ts";

/** The URL at which Sinch serves a user's media, under the bot it was sent to. */
export function inboundMediaUrl(publicBase: string, botId: string, mediaId: string): string {
  return `${publicBase}/whatsapp/v1/${encodeURIComponent(botId)}/media/${encodeURIComponent(mediaId)}`;
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined || value === "" ? {} : { [key]: value }) as { [P in K]?: V };

/** A contact card as Sinch words it (WhatsApp's snake_case); addresses may come with Infobip's `countryCode`. */
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
      ...optional("first_name", n.firstName),
      formatted_name: n.formattedName,
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
        ...optional("type", p.type),
        ...optional("wa_id", p.waId),
      })),
    ),
    ...optional("urls", c.urls),
  };
}

/** Sinch's `error` notification for what it has no notification for. */
function notPassedOn(what: string): Record<string, unknown> {
  return { type: "error", details: `${what}; the Sinch WhatsApp API v1 has no notification for it.` };
}

/** The `message` object of one notification, by type. */
export function inboundNotificationMessage(
  c: InboundContent,
  publicBase: string,
  botId: string,
): Record<string, unknown> {
  const media = (type: string, m: InboundMedia, filename = false) => ({
    type,
    url: inboundMediaUrl(publicBase, botId, m.id),
    mime_type: m.mimeType,
    ...optional("caption", m.caption),
    // Sinch gives a filename only for audio and documents.
    ...(filename ? optional("filename", m.filename) : {}),
  });
  switch (c.type) {
    case "text":
      return { type: "text", body: c.text };
    case "image":
      return media("image", c.media);
    case "video":
      return media("video", c.media);
    case "audio":
      return media(c.voice ? "voice" : "audio", c.media, !c.voice);
    case "document":
      return media("document", c.media, true);
    case "sticker":
      return media("sticker", c.media);
    case "location":
      return {
        type: "location",
        latitude: c.latitude,
        longitude: c.longitude,
        ...optional("name", c.name),
        ...optional("address", c.address),
        ...optional("url", c.url),
      };
    case "contacts":
      return { type: "contacts", contacts: c.contacts.map(contact) };
    case "button":
      return { type: "button", text: c.text, payload: c.payload };
    case "button_reply":
      return { type: "interactive", message: { type: "button", id: c.id, title: c.title } };
    case "list_reply":
      return {
        type: "interactive",
        message: { type: "list", id: c.id, title: c.title, ...optional("description", c.description) },
      };
    case "order":
      return {
        type: "order",
        ...optional("text", c.text),
        catalog_id: c.catalogId,
        product_items: c.items.map((i) => ({
          product_retailer_id: i.productRetailerId,
          quantity: i.quantity,
          item_price: i.itemPrice,
          currency: i.currency,
        })),
      };
    case "reaction":
      return notPassedOn(
        c.emoji === ""
          ? `The user removed their reaction to message ${c.messageId}`
          : `The user reacted ${c.emoji} to message ${c.messageId}`,
      );
    case "flow_reply":
      return notPassedOn(`The user completed a flow (${c.name}) with: ${c.responseJson}`);
    case "unsupported": {
      const e = WA.unsupportedMessageType;
      return notPassedOn(`${e.title} (WhatsApp error ${e.code}): ${e.details ?? e.title}`);
    }
  }
}

/** Sinch sends the sender's profile (`contacts[]`) only with text, contacts and location messages. */
export function withProfile(c: InboundContent): boolean {
  return c.type === "text" || c.type === "contacts" || c.type === "location";
}

/**
 * One `notifications[]` item. `replying_to` is the quoted message: Sinch passes WhatsApp's
 * context, which always names the sender, so an unmatched quote (an outbound message older than
 * Infobip's 4-day cache) is worded with the business number.
 */
export function inboundNotification(
  m: InboundMessage,
  publicBase: string,
  botId: string,
  senderNumber: string,
): Record<string, unknown> {
  return {
    from: m.from,
    to: botId,
    message_id: m.messageId,
    message: inboundNotificationMessage(m.content, publicBase, botId),
    timestamp: sinchTime(m.receivedAt),
    ...(m.quote && m.content.type !== "reaction"
      ? { replying_to: { from: m.quote.from ?? senderNumber, message_id: m.quote.messageId } }
      : {}),
  };
}
