/**
 * A user's message in Infobip's inbound webhook (`receive-inbound-whatsapp-messages`, format
 * `MO_OTT_CONTACT`): one `results[]` item, its `message` by type with the fields Infobip's OpenAPI
 * document gives that type, media as a URL at which OpenBSP serves them as Infobip does
 * (`/whatsapp/1/senders/{sender}/media/{mediaId}`).
 *
 * Where the document's schema and its examples disagree, these follow the examples:
 * - INTERACTIVE_FLOW_REPLY `response`: the schema says each value is an object (a Java
 *   `Map<String, Object>` artifact); the example's values are strings. It is the flow's
 *   `response_json`, parsed, values as the flow produced them.
 * - VOICE carries `caption` in the example as in the schema, though WhatsApp voice notes have
 *   none: passed when the user gave one.
 * Where the document gives a type no field for something the core has, it is left out rather than
 * invented: DOCUMENT has no `filename` (the download answers it in `Content-Disposition`), STICKER
 * no `caption` and no animated flag, ORDER no `context`, REACTION no `from` in its `context`.
 */
import type { ContactCard } from "../../core/free-form-content.ts";
import type { InboundContent, InboundMedia, InboundMessage, InboundQuote } from "../../core/inbound.ts";
import { infobipDate } from "./from-core.ts";

/** The URL at which Infobip serves a user's media, under the business sender it was sent to. */
export function inboundMediaUrl(publicBase: string, sender: string, mediaId: string): string {
  return `${publicBase}/whatsapp/1/senders/${encodeURIComponent(sender)}/media/${encodeURIComponent(mediaId)}`;
}

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined || value === "" ? {} : { [key]: value }) as { [P in K]?: V };

/** Infobip's phone types (InboundPhone.type); WhatsApp's MOBILE is Infobip's CELL, other types are left out. */
const PHONE_TYPES = new Set(["CELL", "MAIN", "IPHONE", "HOME", "WORK"]);
function phoneType(type: string | undefined): string | undefined {
  const t = type?.toUpperCase();
  if (t === "MOBILE") return "CELL";
  return t && PHONE_TYPES.has(t) ? t : undefined;
}

/** A contact card in Infobip's camelCase (InboundContact); addresses may come with Meta's `country_code`. */
function contact(c: ContactCard): Record<string, unknown> {
  return {
    ...optional(
      "addresses",
      c.addresses?.map(({ country_code, ...a }) => ({
        ...a,
        ...optional("countryCode", a.countryCode ?? country_code),
      })),
    ),
    ...optional("birthday", c.birthday),
    ...optional("emails", c.emails),
    name: c.name,
    ...optional("org", c.org),
    ...optional(
      "phones",
      c.phones?.map((p) => ({
        ...optional("phone", p.phone),
        ...optional("type", phoneType(p.type)),
        ...optional("waId", p.waId),
      })),
    ),
    ...optional("urls", c.urls),
  };
}

/** The flow's answer as an object; a `response_json` that is not a JSON object is left out. */
function flowResponse(json: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The quoted message (seed 002 "Quotes"): its id and who sent it. Infobip matches a quote only to
 * outbound messages of the last 4 days; an unmatched one keeps the id the user quoted but has no
 * `from`, so the business can tell it was not matched.
 */
function context(q: InboundQuote): Record<string, string> {
  return { ...optional("from", q.from), id: q.messageId };
}

/** The `message` object of one inbound, by type. */
export function inboundContent(
  c: InboundContent,
  m: InboundMessage,
  publicBase: string,
): Record<string, unknown> {
  const media = (type: string, x: InboundMedia, caption = true) => ({
    type,
    url: inboundMediaUrl(publicBase, m.to, x.id),
    ...(caption ? optional("caption", x.caption) : {}),
  });
  const quoted = m.quote ? { context: context(m.quote) } : {};
  switch (c.type) {
    case "text":
      return { type: "TEXT", text: c.text, ...quoted };
    case "image":
      return { ...media("IMAGE", c.media), ...quoted };
    case "video":
      return { ...media("VIDEO", c.media), ...quoted };
    case "audio":
      return { ...media(c.voice ? "VOICE" : "AUDIO", c.media), ...quoted };
    case "document":
      return { ...media("DOCUMENT", c.media), ...quoted };
    case "sticker":
      return { ...media("STICKER", c.media, false), ...quoted };
    case "location":
      return {
        type: "LOCATION",
        latitude: c.latitude,
        longitude: c.longitude,
        ...optional("address", c.address),
        ...optional("name", c.name),
        ...optional("url", c.url),
        ...quoted,
      };
    case "contacts":
      return { type: "CONTACT", contacts: c.contacts.map(contact), ...quoted };
    case "reaction":
      // The reacted-to message is the reaction's context; an empty emoji takes the reaction away.
      return {
        type: "REACTION",
        ...optional("emoji", c.emoji),
        action: c.emoji === "" ? "REMOVED" : "ADDED",
        context: { id: c.messageId },
      };
    case "button":
      return { type: "BUTTON", text: c.text, payload: c.payload, ...quoted };
    case "button_reply":
      return { type: "INTERACTIVE_BUTTON_REPLY", id: c.id, title: c.title, ...quoted };
    case "list_reply":
      return {
        type: "INTERACTIVE_LIST_REPLY",
        id: c.id,
        title: c.title,
        ...optional("description", c.description),
        ...quoted,
      };
    case "flow_reply":
      return {
        type: "INTERACTIVE_FLOW_REPLY",
        text: c.body,
        ...optional("response", flowResponse(c.responseJson)),
        ...quoted,
      };
    case "order":
      return {
        type: "ORDER",
        catalogId: c.catalogId,
        productItems: c.items.map((i) => ({
          currency: i.currency,
          itemPrice: i.itemPrice,
          productRetailerId: i.productRetailerId,
          quantity: i.quantity,
        })),
        ...optional("text", c.text),
      };
    case "unsupported":
      return { type: "UNSUPPORTED", ...quoted };
  }
}

/**
 * One `results[]` item. `pairedMessageId` ("the paired outgoing message, if matched") is the
 * business's message the user replied to, when the quote was matched to one; `price` is zero, as
 * inbound messages cost nothing.
 */
export function inboundResult(m: InboundMessage, publicBase: string): Record<string, unknown> {
  const paired =
    m.quote?.from === m.to && m.content.type !== "reaction" ? { pairedMessageId: m.quote.messageId } : {};
  return {
    from: m.from,
    to: m.to,
    integrationType: "WHATSAPP",
    receivedAt: infobipDate(m.receivedAt),
    messageId: m.messageId,
    ...paired,
    message: inboundContent(m.content, m, publicBase),
    price: { pricePerMessage: 0, currency: "EUR" },
    contact: { name: m.contactName ?? "", phoneNumber: m.from },
  };
}
