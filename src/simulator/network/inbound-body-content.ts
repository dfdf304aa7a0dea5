/**
 * A simulated user's body (`inbound-body.ts`) as the core's words: the media to store, and the
 * `InboundContent` the message carries once its media is stored.
 */
import type { InboundContent, InboundMedia } from "../../core/inbound.ts";
import type { MediaKind } from "../../core/media-rules.ts";
import type { ContactObject } from "../../meta-graph/message-schemas.ts";
import { mediaExtras, type TypedBody } from "./inbound-body.ts";

/** A media body's kind and source, for the use case that stores it. */
export function mediaOfBody(body: TypedBody):
  | {
      kind: MediaKind;
      source: { data: string; mimeType: string } | { link: string; mimeType?: string };
      caption?: string;
      filename?: string;
      animated?: boolean;
    }
  | undefined {
  if (!(body.type in mediaExtras)) return undefined;
  const kind = body.type as MediaKind;
  const m = (body as Record<string, unknown>)[kind] as {
    data?: string;
    link?: string;
    mime_type?: string;
    caption?: string;
    filename?: string;
    animated?: boolean;
  };
  const source =
    m.data !== undefined
      ? { data: m.data, mimeType: m.mime_type ?? "" }
      : { link: m.link ?? "", ...(m.mime_type !== undefined ? { mimeType: m.mime_type } : {}) };
  return {
    kind,
    source,
    ...(m.caption !== undefined ? { caption: m.caption } : {}),
    ...(m.filename !== undefined ? { filename: m.filename } : {}),
    ...(m.animated !== undefined ? { animated: m.animated } : {}),
  };
}

/** The core's content for a typed body; media bodies need the stored media. */
export function contentOfBody(body: TypedBody, media?: InboundMedia): InboundContent {
  switch (body.type) {
    case "text":
      return { type: "text", text: body.text.body };
    case "image":
    case "video":
    case "document":
      return { type: body.type, media: media as InboundMedia };
    case "audio":
      return { type: "audio", media: media as InboundMedia, voice: body.audio.voice === true };
    case "sticker":
      return { type: "sticker", media: media as InboundMedia, animated: body.sticker.animated === true };
    case "location": {
      const l = body.location;
      return {
        type: "location",
        latitude: l.latitude,
        longitude: l.longitude,
        ...(l.name !== undefined ? { name: l.name } : {}),
        ...(l.address !== undefined ? { address: l.address } : {}),
        ...(l.url !== undefined ? { url: l.url } : {}),
      };
    }
    case "contacts":
      return { type: "contacts", contacts: body.contacts.map(contactCard) };
    case "reaction":
      return { type: "reaction", messageId: body.reaction.message_id, emoji: body.reaction.emoji ?? "" };
    case "button":
      return { type: "button", text: body.button.text, payload: body.button.payload };
    case "interactive": {
      const i = body.interactive;
      if (i.type === "button_reply")
        return { type: "button_reply", id: i.button_reply.id, title: i.button_reply.title };
      if (i.type === "list_reply") {
        const r = i.list_reply;
        return {
          type: "list_reply",
          id: r.id,
          title: r.title,
          ...(r.description !== undefined ? { description: r.description } : {}),
        };
      }
      const f = i.nfm_reply;
      return {
        type: "flow_reply",
        name: f.name ?? "flow",
        body: f.body ?? "Sent",
        responseJson: f.response_json,
      };
    }
    case "order": {
      const o = body.order;
      return {
        type: "order",
        catalogId: o.catalog_id,
        ...(o.text !== undefined ? { text: o.text } : {}),
        items: o.product_items.map((p) => ({
          productRetailerId: p.product_retailer_id,
          quantity: p.quantity,
          itemPrice: p.item_price,
          currency: p.currency,
        })),
      };
    }
    case "unsupported":
      return { type: "unsupported" };
  }
}

/** Meta's contact object (snake case, `wa_id`) as the core's contact card. */
function contactCard(c: ContactObject) {
  const n = c.name;
  return {
    name: {
      formattedName: n.formatted_name,
      ...(n.first_name !== undefined ? { firstName: n.first_name } : {}),
      ...(n.last_name !== undefined ? { lastName: n.last_name } : {}),
      ...(n.middle_name !== undefined ? { middleName: n.middle_name } : {}),
      ...(n.suffix !== undefined ? { nameSuffix: n.suffix } : {}),
      ...(n.prefix !== undefined ? { namePrefix: n.prefix } : {}),
    },
    ...(c.addresses ? { addresses: c.addresses } : {}),
    ...(c.birthday !== undefined ? { birthday: c.birthday } : {}),
    ...(c.emails
      ? {
          emails: c.emails.map((e) => ({
            ...(e.email !== undefined ? { email: e.email } : {}),
            ...(e.type !== undefined ? { type: e.type } : {}),
          })),
        }
      : {}),
    ...(c.org ? { org: c.org } : {}),
    ...(c.phones
      ? {
          phones: c.phones.map((p) => ({
            ...(p.phone !== undefined ? { phone: p.phone } : {}),
            ...(p.type !== undefined ? { type: p.type } : {}),
            ...(p.wa_id !== undefined ? { waId: p.wa_id } : {}),
          })),
        }
      : {}),
    ...(c.urls
      ? {
          urls: c.urls.map((u) => ({
            ...(u.url !== undefined ? { url: u.url } : {}),
            ...(u.type !== undefined ? { type: u.type } : {}),
          })),
        }
      : {}),
  };
}
