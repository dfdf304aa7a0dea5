/**
 * Meta Cloud API → core: maps a `/messages` body to the core's request, and the core's field
 * paths back to Meta's. Only translation; the rules (limits, template match) live in src/core.
 */
import type { FieldError } from "../../core/field-error.ts";
import type { InteractiveContent, InteractiveHeader } from "../../core/interactive-content.ts";
import type { MessageContent, OutboundRequest, TemplateButtonValue, TemplateCardValue, TemplateHeaderValue } from "../../core/message.ts";
import type { CardValues, ContactObject, Interactive, MediaObject, MessageRequest, Parameter, TemplateObject } from "./schemas/message-schemas.ts";

type TemplateComponent = CardValues["components"][number] & { cards?: readonly CardValues[] };

export type Translated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: FieldError };

const fail = (field: string, message: string, code = 131009): { ok: false; error: FieldError } => ({
  ok: false,
  error: { field, message, code },
});
const missing = (field: string) => fail(field, "is required", 131008);

/** The recipient as Meta normalises it: digits only; see phone-number.ts for the country code rule. */
export function messageToCore(
  body: MessageRequest,
  from: string,
  to: string,
  messageId: string,
  uploaded: UploadedLinks = new Map(),
): Translated<OutboundRequest> {
  const content = contentOf(body, uploaded);
  if (!content.ok) return content;
  return {
    ok: true,
    value: {
      from,
      to,
      messageId,
      content: content.value,
      ...(body.biz_opaque_callback_data !== undefined ? { callbackData: body.biz_opaque_callback_data } : {}),
      ...(body.context ? { replyTo: body.context.message_id } : {}),
    },
  };
}

function contentOf(body: MessageRequest, uploaded: UploadedLinks): Translated<MessageContent> {
  const type = body.type ?? "text";
  switch (type) {
    case "text":
      if (!body.text) return missing("text");
      return { ok: true, value: { type: "text", text: body.text.body, previewUrl: body.text.preview_url ?? false } };
    case "image":
    case "audio":
    case "video":
    case "document":
    case "sticker":
      return mediaOf(type, body[type], uploaded);
    case "location": {
      const l = body.location;
      if (!l) return missing("location");
      return {
        ok: true,
        value: {
          type: "location",
          latitude: Number(l.latitude),
          longitude: Number(l.longitude),
          ...(l.name !== undefined ? { name: l.name } : {}),
          ...(l.address !== undefined ? { address: l.address } : {}),
        },
      };
    }
    case "contacts":
      if (!body.contacts) return missing("contacts");
      return { ok: true, value: { type: "contact", contacts: body.contacts.map(contactOf) } };
    case "reaction":
      if (!body.reaction) return missing("reaction");
      return { ok: true, value: { type: "reaction", messageId: body.reaction.message_id, emoji: body.reaction.emoji ?? "" } };
    case "interactive":
      if (!body.interactive) return missing("interactive");
      return interactiveOf(body.interactive, uploaded);
    case "template":
      if (!body.template) return missing("template");
      return templateOf(body.template, uploaded);
    default:
      return fail("type", `message type ${type} is not supported`, 131051);
  }
}

/** Uploaded media the body refers to by id, resolved before translation: id → its download URL. */
export type UploadedLinks = ReadonlyMap<string, string>;

/** Every uploaded-media id a send refers to (message media, interactive and template headers). */
export function mediaIdsOf(body: MessageRequest): string[] {
  const ids: (string | undefined)[] = [];
  for (const t of ["image", "audio", "video", "document", "sticker"] as const) ids.push(body[t]?.id);
  const h = body.interactive?.header;
  if (h) ids.push(h.image?.id, h.video?.id, h.document?.id);
  const components = (body.template?.components ?? []).flatMap((c) => [c, ...(c.cards ?? []).flatMap((card) => card.components)]);
  for (const c of components) {
    for (const p of c.parameters ?? []) ids.push(p.image?.id, p.video?.id, p.document?.id);
  }
  return ids.filter((id): id is string => id !== undefined);
}

/** A media object's link: its own, or the download URL of the uploaded media it names. */
function linkOf(m: MediaObject, uploaded: UploadedLinks): string | undefined {
  return m.link ?? (m.id !== undefined ? uploaded.get(m.id) : undefined);
}

function mediaOf(
  type: "image" | "audio" | "video" | "document" | "sticker",
  m: MediaObject | undefined,
  uploaded: UploadedLinks,
): Translated<MessageContent> {
  if (!m) return missing(type);
  const link = linkOf(m, uploaded);
  if (link === undefined) return m.id !== undefined ? fail(`${type}.id`, `no uploaded media ${m.id}`) : missing(`${type}.link`);
  return {
    ok: true,
    value: {
      type,
      mediaUrl: link,
      ...(m.link === undefined && m.id !== undefined ? { mediaId: m.id } : {}),
      ...(m.caption !== undefined ? { caption: m.caption } : {}),
      ...(m.filename !== undefined ? { filename: m.filename } : {}),
      ...(m.voice !== undefined ? { voice: m.voice } : {}),
    },
  };
}

function contactOf(c: ContactObject) {
  const n = c.name;
  const kv = (o: Record<string, string> | undefined) => o ?? {};
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
    ...(c.emails ? { emails: c.emails.map((e) => ({ ...kv(e) })) } : {}),
    ...(c.org ? { org: c.org } : {}),
    ...(c.phones ? { phones: c.phones.map((p) => ({ phone: p.phone, type: p.type, ...(p.wa_id ? { waId: p.wa_id } : {}) })) } : {}),
    ...(c.urls ? { urls: c.urls } : {}),
  };
}

function headerOf(h: Interactive["header"], uploaded: UploadedLinks): Translated<InteractiveHeader | undefined> {
  if (!h) return { ok: true, value: undefined };
  if (h.type === "text") return h.text === undefined ? missing("interactive.header.text") : { ok: true, value: { type: "TEXT", text: h.text } };
  const media = h[h.type];
  const link = media && linkOf(media, uploaded);
  if (!link) return missing(`interactive.header.${h.type}.link`);
  if (h.type === "document") {
    return { ok: true, value: { type: "DOCUMENT", mediaUrl: link, ...(media?.filename ? { filename: media.filename } : {}) } };
  }
  return { ok: true, value: { type: h.type === "image" ? "IMAGE" : "VIDEO", mediaUrl: link } };
}

function interactiveOf(i: Interactive, uploaded: UploadedLinks): Translated<MessageContent> {
  const header = headerOf(i.header, uploaded);
  if (!header.ok) return header;
  const h = header.value;
  const body = i.body?.text;
  const footer = i.footer ? { footer: i.footer.text } : {};
  const textHeader = h?.type === "TEXT" ? { header: h } : {};
  const p: Record<string, unknown> & NonNullable<Interactive["action"]["parameters"]> = i.action.parameters ?? {};
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const needBody = (build: (text: string) => InteractiveContent): Translated<MessageContent> =>
    body === undefined ? missing("interactive.body") : { ok: true, value: build(body) };
  switch (i.type) {
    case "button":
      if (!i.action.buttons) return missing("interactive.action.buttons");
      return needBody((text) => ({
        type: "interactive_buttons",
        body: text,
        ...(h ? { header: h } : {}),
        ...footer,
        buttons: (i.action.buttons ?? []).map((b) => ({ id: b.reply.id, title: b.reply.title })),
      }));
    case "list":
      if (!i.action.sections) return missing("interactive.action.sections");
      if (h && h.type !== "TEXT") return fail("interactive.header.type", "a list's header must be text");
      if (i.action.button === undefined) return missing("interactive.action.button");
      return needBody((text) => ({
        type: "interactive_list",
        body: text,
        ...textHeader,
        ...footer,
        buttonTitle: i.action.button ?? "",
        sections: (i.action.sections ?? []).map((s) => ({
          ...(s.title !== undefined ? { title: s.title } : {}),
          rows: (s.rows ?? []).map((r) => ({ id: r.id, title: r.title, ...(r.description !== undefined ? { description: r.description } : {}) })),
        })),
      }));
    case "cta_url": {
      const displayText = str(p.display_text);
      const url = str(p.url);
      if (displayText === undefined) return missing("interactive.action.parameters.display_text");
      if (url === undefined) return missing("interactive.action.parameters.url");
      return needBody((text) => ({ type: "interactive_url_button", body: text, ...(h ? { header: h } : {}), ...footer, displayText, url }));
    }
    case "location_request_message":
      return needBody((text) => ({ type: "interactive_location_request", body: text }));
    case "product":
      if (!i.action.catalog_id) return missing("interactive.action.catalog_id");
      if (!i.action.product_retailer_id) return missing("interactive.action.product_retailer_id");
      return {
        ok: true,
        value: {
          type: "interactive_product",
          ...(body !== undefined ? { body } : {}),
          ...footer,
          catalogId: i.action.catalog_id,
          productRetailerId: i.action.product_retailer_id,
        },
      };
    case "product_list":
      if (!i.action.catalog_id) return missing("interactive.action.catalog_id");
      if (!i.action.sections) return missing("interactive.action.sections");
      if (h?.type !== "TEXT") return missing("interactive.header");
      return needBody((text) => ({
        type: "interactive_multi_product",
        header: h as { type: "TEXT"; text: string },
        body: text,
        ...footer,
        catalogId: i.action.catalog_id ?? "",
        sections: (i.action.sections ?? []).map((s) => ({
          ...(s.title !== undefined ? { title: s.title } : {}),
          productRetailerIds: (s.product_items ?? []).map((x) => x.product_retailer_id),
        })),
      }));
    case "flow": {
      const flowId = str(p.flow_id);
      if (flowId === undefined) {
        return str(p.flow_name) !== undefined
          ? fail("interactive.action.parameters.flow_name", "flows by name are not built: send flow_id", 131009)
          : missing("interactive.action.parameters.flow_id");
      }
      const cta = str(p.flow_cta);
      if (cta === undefined) return missing("interactive.action.parameters.flow_cta");
      const payload = p.flow_action_payload;
      const version = Number(p.flow_message_version ?? 3);
      return needBody((text) => ({
        type: "interactive_flow",
        body: text,
        ...textHeader,
        ...footer,
        flowId,
        flowToken: str(p.flow_token) ?? "unused",
        callToActionButton: cta,
        mode: str(p.mode)?.toLowerCase() === "draft" ? "DRAFT" : "PUBLISHED",
        flowAction: str(p.flow_action)?.toLowerCase() === "data_exchange" ? "DATA_EXCHANGE" : "NAVIGATE",
        ...(payload?.screen !== undefined
          ? { flowActionPayload: { screen: payload.screen, ...(payload.data ? { data: payload.data } : {}) } }
          : {}),
        flowMessageVersion: version,
      }));
    }
    default:
      return fail("interactive.type", `interactive ${i.type} messages are not built yet`, 131051);
  }
}

function templateOf(t: TemplateObject, uploaded: UploadedLinks): Translated<MessageContent> {
  const values = componentValues(t.components ?? [], "template.components", uploaded, true);
  if (!values.ok) return values;
  const { header, bodyPlaceholders, buttons, offerExpiresAt, carousel } = values.value;
  return {
    ok: true,
    value: {
      type: "template",
      templateName: t.name,
      language: t.language.code,
      bodyPlaceholders,
      ...(header ? { header } : {}),
      buttons,
      ...(offerExpiresAt !== undefined ? { offerExpiresAt } : {}),
      ...(carousel ? { carousel } : {}),
    },
  };
}

type ComponentValues = TemplateCardValue & { offerExpiresAt?: string; carousel?: TemplateCardValue[] };

/** The values of a template's components, or of one carousel card's (`card_index` orders the cards). */
function componentValues(
  components: readonly TemplateComponent[],
  where: string,
  uploaded: UploadedLinks,
  topLevel: boolean,
): Translated<ComponentValues> {
  let header: TemplateHeaderValue | undefined;
  const bodyPlaceholders: string[] = [];
  const buttons: { index: number; value: TemplateButtonValue }[] = [];
  let offerExpiresAt: string | undefined;
  let carousel: TemplateCardValue[] | undefined;
  for (const [ci, c] of components.entries()) {
    const at = `${where}[${ci}]`;
    const params = c.parameters ?? [];
    const kind = c.type.toLowerCase();
    if (kind === "header") {
      const hp = params[0];
      if (!hp) return missing(`${at}.parameters`);
      const value = headerValue(hp, `${at}.parameters[0]`, uploaded);
      if (!value.ok) return value;
      header = value.value;
    } else if (kind === "body") {
      for (const p of params) bodyPlaceholders.push(parameterText(p));
    } else if (kind === "button") {
      const index = Number(c.index ?? buttons.length);
      const value = buttonValue(c.sub_type?.toLowerCase() ?? "", params, at);
      if (!value.ok) return value;
      buttons.push({ index, value: value.value });
    } else if (kind === "limited_time_offer" && topLevel) {
      const ms = params[0]?.limited_time_offer?.expiration_time_ms;
      if (ms !== undefined) offerExpiresAt = new Date(ms).toISOString();
    } else if (kind === "carousel" && topLevel) {
      const cards: { index: number; value: TemplateCardValue }[] = [];
      for (const [i, card] of (c.cards ?? []).entries()) {
        const value = componentValues(card.components, `${at}.cards[${i}].components`, uploaded, false);
        if (!value.ok) return value;
        cards.push({ index: Number(card.card_index ?? i), value: value.value });
      }
      carousel = cards.sort((a, b) => a.index - b.index).map((x) => x.value);
    } else {
      return fail(`${at}.type`, `component ${c.type} is not supported here`);
    }
  }
  buttons.sort((a, b) => a.index - b.index);
  return {
    ok: true,
    value: {
      ...(header ? { header } : {}),
      bodyPlaceholders,
      buttons: buttons.map((b) => b.value),
      ...(offerExpiresAt !== undefined ? { offerExpiresAt } : {}),
      ...(carousel ? { carousel } : {}),
    },
  };
}

function parameterText(p: Parameter): string {
  if (p.type === "currency") return p.currency?.fallback_value ?? "";
  if (p.type === "date_time") return p.date_time?.fallback_value ?? "";
  return p.text ?? "";
}

function headerValue(p: Parameter, at: string, uploaded: UploadedLinks): Translated<TemplateHeaderValue> {
  switch (p.type) {
    case "text":
    case "currency":
    case "date_time":
      return { ok: true, value: { type: "TEXT", placeholder: parameterText(p) } };
    case "image":
    case "video": {
      const media = p[p.type];
      const link = media && linkOf(media, uploaded);
      if (!link) return missing(`${at}.${p.type}.link`);
      return { ok: true, value: { type: p.type === "image" ? "IMAGE" : "VIDEO", mediaUrl: link } };
    }
    case "document": {
      const link = p.document && linkOf(p.document, uploaded);
      if (!link) return missing(`${at}.document.link`);
      return { ok: true, value: { type: "DOCUMENT", mediaUrl: link, filename: p.document?.filename ?? "document" } };
    }
    case "location":
      if (!p.location) return missing(`${at}.location`);
      return { ok: true, value: { type: "LOCATION", latitude: Number(p.location.latitude), longitude: Number(p.location.longitude) } };
    default:
      return fail(`${at}.type`, `header parameter type ${p.type} is not supported`, 132012);
  }
}

function buttonValue(subType: string, params: readonly Parameter[], at: string): Translated<TemplateButtonValue> {
  const p = params[0];
  switch (subType) {
    case "quick_reply":
      return { ok: true, value: { type: "QUICK_REPLY", parameter: p?.payload ?? p?.text ?? "" } };
    case "url":
      if (p?.text === undefined) return missing(`${at}.parameters[0].text`);
      return { ok: true, value: { type: "URL", parameter: p.text } };
    case "copy_code":
      if (p?.coupon_code === undefined) return missing(`${at}.parameters[0].coupon_code`);
      return { ok: true, value: { type: "COPY_CODE", parameter: p.coupon_code } };
    case "flow": {
      const action = p?.action ?? {};
      return {
        ok: true,
        value: {
          type: "FLOW",
          ...(action.flow_token !== undefined ? { flowToken: action.flow_token } : {}),
          ...(action.flow_action_data ? { data: action.flow_action_data } : {}),
        },
      };
    }
    case "catalog": {
      const action = p?.action ?? {};
      return {
        ok: true,
        value: {
          type: "CATALOG",
          ...(action.thumbnail_product_retailer_id !== undefined ? { thumbnailProductRetailerId: action.thumbnail_product_retailer_id } : {}),
        },
      };
    }
    case "mpm": {
      const action = p?.action ?? {};
      return {
        ok: true,
        value: {
          type: "MULTI_PRODUCT",
          thumbnailProductRetailerId: action.thumbnail_product_retailer_id ?? "",
          sections: (action.sections ?? []).map((s) => ({
            title: s.title ?? "",
            productRetailerIds: s.product_items.map((x) => x.product_retailer_id),
          })),
        },
      };
    }
    default:
      return fail(`${at}.sub_type`, `button sub_type ${subType || "(none)"} is not supported`, 131009);
  }
}

/** The core's field path (relative to the content) in Meta's words, for a content of `type`. */
export function metaField(type: string, corePath: string): string {
  const map: Record<string, string> = {
    text: "text.body",
    mediaUrl: `${type}.link`,
    caption: `${type}.caption`,
    filename: `${type}.filename`,
    latitude: "location.latitude",
    longitude: "location.longitude",
    name: "location.name",
    address: "location.address",
    body: "interactive.body.text",
    footer: "interactive.footer.text",
    buttonTitle: "interactive.action.button",
    displayText: "interactive.action.parameters.display_text",
    url: "interactive.action.parameters.url",
    messageId: "reaction.message_id",
    emoji: "reaction.emoji",
    templateName: "template.name",
    language: "template.language.code",
    "body.placeholders": "template.components[body].parameters",
    header: "template.components[header]",
    buttons: "template.components[button]",
  };
  const path = corePath.replace(/^content\./, "");
  const exact = map[path];
  if (exact) return exact;
  if (path.startsWith("buttons[") && type === "interactive") return `interactive.action.${path.replace(/\.title$/, ".reply.title").replace(/\.id$/, ".reply.id")}`;
  if (path.startsWith("sections")) return `interactive.action.${path}`;
  if (path.startsWith("contacts")) return path.replace("formattedName", "formatted_name").replace("firstName", "first_name");
  if (path.startsWith("body.placeholders[")) return `template.components[body].parameters${path.slice("body.placeholders".length)}`;
  if (path.startsWith("header")) return `template.components[header]${path.slice("header".length)}`;
  if (path.startsWith("buttons[")) return `template.components[button]${path.slice("buttons".length)}`;
  if (path.startsWith("carousel")) return `template.components[carousel]${path.slice("carousel".length)}`;
  return path;
}
