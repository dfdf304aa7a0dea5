/**
 * A stored message as Meta's send request (`POST /{phone-number-id}/messages`, api-reference C.1):
 * the other way round from the Meta face's translation. Media is sent by the Meta media id when
 * OpenBSP uploaded it to Meta first (`metaIds`: link → id), else by its link.
 */
import type { ContactCard, MediaContent } from "../../core/free-form-content.ts";
import type { InteractiveContent, InteractiveHeader } from "../../core/interactive-content.ts";
import type {
  MessageContent,
  StoredMessage,
  TemplateButtonValue,
  TemplateContent,
  TemplateHeaderValue,
} from "../../core/message.ts";
import type { Template } from "../../core/template.ts";
import type { MediaObject, MessageRequest, Parameter } from "../../meta-graph/message-schemas.ts";

/** What OpenBSP cannot put in Meta's words yet; the carrier fails such a message saying so. */
export class NotMappable extends Error {}

type Json = Record<string, unknown>;
/** Media links OpenBSP uploaded to Meta, by link: their Meta media ids. */
export type MetaMediaIds = ReadonlyMap<string, string>;

export function sendRequest(
  m: StoredMessage,
  template: Template | undefined,
  ids: MetaMediaIds,
): MessageRequest {
  const body: Json = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: m.to,
    ...(m.replyTo !== undefined ? { context: { message_id: m.replyTo } } : {}),
    ...contentOf(m.content, template, ids),
  };
  return body as MessageRequest;
}

const media = (url: string, ids: MetaMediaIds, extra: Json = {}): MediaObject => {
  const id = ids.get(url);
  return { ...(id ? { id } : { link: url }), ...extra } as MediaObject;
};

function contentOf(c: MessageContent, template: Template | undefined, ids: MetaMediaIds): Json {
  switch (c.type) {
    case "text":
      return { type: "text", text: { body: c.text, preview_url: c.previewUrl } };
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      return { type: c.type, [c.type]: mediaObject(c, ids) };
    case "location":
      return {
        type: "location",
        // Meta's document types them as strings; Graph takes numbers too.
        location: {
          latitude: String(c.latitude),
          longitude: String(c.longitude),
          ...(c.name !== undefined ? { name: c.name } : {}),
          ...(c.address !== undefined ? { address: c.address } : {}),
        },
      };
    case "contact":
      return { type: "contacts", contacts: c.contacts.map(contactObject) };
    case "reaction":
      return { type: "reaction", reaction: { message_id: c.messageId, emoji: c.emoji } };
    case "template":
      return { type: "template", template: templateObject(c, template, ids) };
    default:
      return { type: "interactive", interactive: interactiveObject(c, ids) };
  }
}

function mediaObject(c: MediaContent, ids: MetaMediaIds): MediaObject {
  return media(c.mediaUrl, ids, {
    ...(c.caption !== undefined ? { caption: c.caption } : {}),
    ...(c.filename !== undefined ? { filename: c.filename } : {}),
    ...(c.voice !== undefined ? { voice: c.voice } : {}),
  });
}

function contactObject(card: ContactCard): Json {
  const n = card.name;
  return {
    name: {
      formatted_name: n.formattedName,
      ...(n.firstName !== undefined ? { first_name: n.firstName } : {}),
      ...(n.lastName !== undefined ? { last_name: n.lastName } : {}),
      ...(n.middleName !== undefined ? { middle_name: n.middleName } : {}),
      ...(n.nameSuffix !== undefined ? { suffix: n.nameSuffix } : {}),
      ...(n.namePrefix !== undefined ? { prefix: n.namePrefix } : {}),
    },
    ...(card.addresses ? { addresses: card.addresses } : {}),
    ...(card.birthday !== undefined ? { birthday: card.birthday } : {}),
    ...(card.emails ? { emails: card.emails } : {}),
    ...(card.org ? { org: card.org } : {}),
    ...(card.phones
      ? {
          phones: card.phones.map((p) => ({
            ...(p.phone !== undefined ? { phone: p.phone } : {}),
            ...(p.type !== undefined ? { type: p.type } : {}),
            ...(p.waId !== undefined ? { wa_id: p.waId } : {}),
          })),
        }
      : {}),
    ...(card.urls ? { urls: card.urls } : {}),
  };
}

function interactiveHeader(h: InteractiveHeader | undefined, ids: MetaMediaIds): Json {
  if (!h) return {};
  if (h.type === "TEXT") return { header: { type: "text", text: h.text } };
  if (h.type === "DOCUMENT")
    return {
      header: {
        type: "document",
        document: media(h.mediaUrl, ids, h.filename !== undefined ? { filename: h.filename } : {}),
      },
    };
  const kind = h.type === "IMAGE" ? "image" : "video";
  return { header: { type: kind, [kind]: media(h.mediaUrl, ids) } };
}

function interactiveObject(c: InteractiveContent, ids: MetaMediaIds): Json {
  const footer = "footer" in c && c.footer !== undefined ? { footer: { text: c.footer } } : {};
  const body = c.body !== undefined ? { body: { text: c.body } } : {};
  switch (c.type) {
    case "interactive_buttons":
      return {
        type: "button",
        ...interactiveHeader(c.header, ids),
        ...body,
        ...footer,
        action: { buttons: c.buttons.map((b) => ({ type: "reply", reply: { id: b.id, title: b.title } })) },
      };
    case "interactive_list":
      return {
        type: "list",
        ...interactiveHeader(c.header, ids),
        ...body,
        ...footer,
        action: {
          button: c.buttonTitle,
          sections: c.sections.map((s) => ({
            ...(s.title !== undefined ? { title: s.title } : {}),
            rows: s.rows.map((r) => ({
              id: r.id,
              title: r.title,
              ...(r.description !== undefined ? { description: r.description } : {}),
            })),
          })),
        },
      };
    case "interactive_location_request":
      return { type: "location_request_message", ...body, action: { name: "send_location" } };
    case "interactive_url_button":
      return {
        type: "cta_url",
        ...interactiveHeader(c.header, ids),
        ...body,
        ...footer,
        action: { name: "cta_url", parameters: { display_text: c.displayText, url: c.url } },
      };
    case "interactive_product":
      return {
        type: "product",
        ...body,
        ...footer,
        action: { catalog_id: c.catalogId, product_retailer_id: c.productRetailerId },
      };
    case "interactive_multi_product":
      return {
        type: "product_list",
        ...interactiveHeader(c.header, ids),
        ...body,
        ...footer,
        action: {
          catalog_id: c.catalogId,
          sections: c.sections.map((s) => ({
            ...(s.title !== undefined ? { title: s.title } : {}),
            product_items: s.productRetailerIds.map((id) => ({ product_retailer_id: id })),
          })),
        },
      };
    case "interactive_flow":
      return {
        type: "flow",
        ...interactiveHeader(c.header, ids),
        ...body,
        ...footer,
        action: {
          name: "flow",
          parameters: {
            flow_message_version: String(c.flowMessageVersion ?? 3),
            flow_token: c.flowToken,
            flow_id: c.flowId,
            flow_cta: c.callToActionButton,
            flow_action: c.flowAction.toLowerCase(),
            ...(c.mode === "DRAFT" ? { mode: "draft" } : {}),
            ...(c.flowActionPayload ? { flow_action_payload: c.flowActionPayload } : {}),
          },
        },
      };
    case "interactive_address":
      return {
        type: "address_message",
        ...interactiveHeader(c.header, ids),
        ...body,
        ...footer,
        action: {
          name: "address_message",
          parameters: {
            country: c.country,
            ...(c.values ? { values: c.values } : {}),
            ...(c.savedAddresses ? { saved_addresses: c.savedAddresses } : {}),
            ...(c.validationErrors ? { validation_errors: c.validationErrors } : {}),
          },
        },
      };
    case "interactive_order_details":
    case "interactive_order_status":
      throw new NotMappable(`OpenBSP's Meta carrier does not send ${c.type} messages yet`);
  }
}

function headerParameter(h: TemplateHeaderValue, ids: MetaMediaIds): Parameter {
  switch (h.type) {
    case "TEXT":
      return { type: "text", text: h.placeholder };
    case "IMAGE":
      return { type: "image", image: media(h.mediaUrl, ids) };
    // Meta sends a GIF header as an MP4 video.
    case "VIDEO":
    case "GIF":
      return { type: "video", video: media(h.mediaUrl, ids) };
    case "DOCUMENT":
      return { type: "document", document: media(h.mediaUrl, ids, { filename: h.filename }) };
    case "LOCATION":
      return { type: "location", location: { latitude: String(h.latitude), longitude: String(h.longitude) } };
  }
}

function buttonComponent(b: TemplateButtonValue, index: number): Json {
  const button = (subType: string, parameters: Json[]) => ({
    type: "button",
    sub_type: subType,
    index: String(index),
    parameters,
  });
  switch (b.type) {
    case "QUICK_REPLY":
      return button("quick_reply", [{ type: "payload", payload: b.parameter }]);
    case "URL":
      return button("url", [{ type: "text", text: b.parameter }]);
    case "COPY_CODE":
      return button("copy_code", [{ type: "coupon_code", coupon_code: b.parameter }]);
    case "FLOW":
      return button("flow", [
        {
          type: "action",
          action: {
            ...(b.flowToken !== undefined ? { flow_token: b.flowToken } : {}),
            ...(b.data ? { flow_action_data: b.data } : {}),
          },
        },
      ]);
    case "CATALOG":
      return button("catalog", [
        {
          type: "action",
          action:
            b.thumbnailProductRetailerId !== undefined
              ? { thumbnail_product_retailer_id: b.thumbnailProductRetailerId }
              : {},
        },
      ]);
    case "MULTI_PRODUCT":
      return button("mpm", [
        {
          type: "action",
          action: {
            thumbnail_product_retailer_id: b.thumbnailProductRetailerId,
            sections: b.sections.map((s) => ({
              title: s.title,
              product_items: s.productRetailerIds.map((id) => ({ product_retailer_id: id })),
            })),
          },
        },
      ]);
    case "VOICE_CALL":
      return button("voice_call", []);
    case "ORDER_DETAILS":
      throw new NotMappable("OpenBSP's Meta carrier does not send ORDER_DETAILS template buttons yet");
  }
}

/** Meta's `index` of each value: its registered button's position (static buttons take none). */
function buttonComponents(
  values: readonly TemplateButtonValue[],
  registered: Template["structure"]["buttons"] | undefined,
): Json[] {
  const dynamic = (registered ?? [])
    .map((b, i) => ({ b, i }))
    .filter(
      ({ b }) =>
        b.type !== "PHONE_NUMBER" && b.type !== "VOICE_CALL" && !(b.type === "URL" && !b.url.includes("{{")),
    );
  const voice = (registered ?? []).findIndex((b) => b.type === "VOICE_CALL");
  let k = 0;
  return values.map((v, n) => {
    if (v.type === "VOICE_CALL") return buttonComponent(v, voice >= 0 ? voice : n);
    const index = dynamic[k]?.i ?? n;
    k++;
    return buttonComponent(v, index);
  });
}

function componentsOf(
  header: TemplateHeaderValue | undefined,
  placeholders: readonly string[],
  buttons: readonly TemplateButtonValue[],
  registered: Template["structure"]["buttons"] | undefined,
  ids: MetaMediaIds,
): Json[] {
  return [
    ...(header ? [{ type: "header", parameters: [headerParameter(header, ids)] }] : []),
    ...(placeholders.length > 0
      ? [{ type: "body", parameters: placeholders.map((text) => ({ type: "text", text })) }]
      : []),
    ...buttonComponents(buttons, registered),
  ];
}

function templateObject(c: TemplateContent, template: Template | undefined, ids: MetaMediaIds): Json {
  const s = template?.structure;
  const components = componentsOf(c.header, c.bodyPlaceholders, c.buttons, s?.buttons, ids);
  if (c.offerExpiresAt !== undefined)
    components.push({
      type: "limited_time_offer",
      parameters: [
        {
          type: "limited_time_offer",
          limited_time_offer: { expiration_time_ms: Date.parse(c.offerExpiresAt) },
        },
      ],
    });
  if (c.carousel)
    components.push({
      type: "carousel",
      cards: c.carousel.map((card, i) => ({
        card_index: i,
        components: componentsOf(
          card.header,
          card.bodyPlaceholders,
          card.buttons,
          s?.carousel?.cards[i]?.buttons,
          ids,
        ),
      })),
    });
  return {
    name: c.templateName,
    language: { policy: "deterministic", code: c.language },
    ...(components.length > 0 ? { components } : {}),
  };
}
