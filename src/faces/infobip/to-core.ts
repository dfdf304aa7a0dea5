/**
 * Infobip → core: maps request JSON to the core's types, and the core's field paths back to
 * Infobip's. Only translation here; every rule lives in src/core.
 */
import type { FieldError } from "../../core/field-error.ts";
import type {
  OutboundEnvelope,
  OutboundRequest,
  TemplateButtonValue,
  TemplateCardValue,
  TemplateHeaderValue,
} from "../../core/message.ts";
import { normaliseRecipient, type Recipient } from "../../core/phone-number.ts";
import type { UrlOptions } from "../../core/short-links.ts";
import { invalid, type Translated } from "../kit/translated.ts";
import { orderActionToCore } from "./order-to-core.ts";
import type { TemplateMessage, TextSendBody } from "./schemas/send-schemas.ts";

/** The envelope fields every Infobip send shares, as the core's request fields; a `to` that is no number is the error. */
export function envelopeOf(
  m: Pick<
    TextSendBody,
    | "from"
    | "to"
    | "messageId"
    | "callbackData"
    | "notifyUrl"
    | "entityId"
    | "applicationId"
    | "context"
    | "urlOptions"
  >,
): Translated<OutboundEnvelope> {
  const to = normaliseRecipient(m.to);
  if (!to.ok) return invalid({ field: "to", message: to.reason });
  const out: {
    from: string;
    to: Recipient;
    messageId?: string;
    callbackData?: string;
    notifyUrl?: string;
    entityId?: string;
    applicationId?: string;
    replyTo?: string;
    urlOptions?: UrlOptions;
  } = { from: m.from, to: to.waId };
  if (m.messageId) out.messageId = m.messageId;
  if (m.callbackData !== undefined) out.callbackData = m.callbackData;
  if (m.notifyUrl) out.notifyUrl = m.notifyUrl;
  if (m.entityId) out.entityId = m.entityId;
  if (m.applicationId) out.applicationId = m.applicationId;
  if (m.context) out.replyTo = m.context.replyToMessageId;
  if (m.urlOptions) out.urlOptions = urlOptionsToCore(m.urlOptions);
  return { ok: true, value: out };
}

/** Infobip's `urlOptions`, with its documented defaults (shorten and track on, keep the protocol). */
function urlOptionsToCore(o: NonNullable<TextSendBody["urlOptions"]>): UrlOptions {
  return {
    shortenUrl: o.shortenUrl ?? true,
    trackClicks: o.trackClicks ?? true,
    removeProtocol: o.removeProtocol ?? false,
    ...(o.trackingUrl !== undefined ? { trackingUrl: o.trackingUrl } : {}),
    ...(o.customDomain !== undefined ? { customDomain: o.customDomain } : {}),
  };
}

export function textToCore(body: TextSendBody): Translated<OutboundRequest> {
  const envelope = envelopeOf(body);
  if (!envelope.ok) return envelope;
  return {
    ok: true,
    value: {
      ...envelope.value,
      content: { type: "text", text: body.content.text, previewUrl: body.content.previewUrl ?? false },
    },
  };
}

export function templateMessageToCore(m: TemplateMessage): Translated<OutboundRequest> {
  const envelope = envelopeOf(m);
  const errors: FieldError[] = envelope.ok || envelope.kind !== "invalid" ? [] : [...envelope.errors];
  const data = m.content.templateData;
  const header = data.header ? headerValueOf(data.header, "header", errors) : undefined;
  const buttons = buttonValuesOf(data.buttons ?? [], "buttons", errors);
  const carousel = data.carousel?.cards.map((card, i): TemplateCardValue => {
    const value = headerValueOf(card.header, `carousel.cards[${i}].header`, errors);
    return {
      ...(value ? { header: value } : {}),
      bodyPlaceholders: card.body?.placeholders ?? [],
      buttons: buttonValuesOf(card.buttons ?? [], `carousel.cards[${i}].buttons`, errors),
    };
  });
  if (!envelope.ok || errors.length > 0) return invalid(...errors);
  return {
    ok: true,
    value: {
      ...envelope.value,
      content: {
        type: "template",
        templateName: m.content.templateName,
        language: m.content.language,
        bodyPlaceholders: data.body.placeholders,
        ...(header ? { header } : {}),
        buttons,
        ...(data.limitedTimeOffer ? { offerExpiresAt: data.limitedTimeOffer.expirationTime } : {}),
        ...(carousel ? { carousel } : {}),
      },
      ...(m.smsFailover ? { smsFailover: { from: m.smsFailover.from, text: m.smsFailover.text } } : {}),
    },
  };
}

type HeaderJson = NonNullable<TemplateMessage["content"]["templateData"]["header"]>;
type ButtonJson = NonNullable<TemplateMessage["content"]["templateData"]["buttons"]>[number];

function headerValueOf(h: HeaderJson, at: string, errors: FieldError[]): TemplateHeaderValue | undefined {
  const missing = (field: string) => errors.push({ field: `${at}.${field}`, message: "must not be null" });
  if (h.type === "TEXT") {
    if (h.placeholder !== undefined) return { type: "TEXT", placeholder: h.placeholder };
    missing("placeholder");
  } else if (h.type === "DOCUMENT") {
    if (h.mediaUrl === undefined) missing("mediaUrl");
    if (h.filename === undefined) missing("filename");
    if (h.mediaUrl !== undefined && h.filename !== undefined)
      return { type: "DOCUMENT", mediaUrl: h.mediaUrl, filename: h.filename };
  } else if (h.type === "LOCATION") {
    if (h.latitude === undefined) missing("latitude");
    if (h.longitude === undefined) missing("longitude");
    if (h.latitude !== undefined && h.longitude !== undefined)
      return { type: "LOCATION", latitude: h.latitude, longitude: h.longitude };
  } else if (h.mediaUrl === undefined) missing("mediaUrl");
  else return { type: h.type, mediaUrl: h.mediaUrl };
  return undefined;
}

function buttonValuesOf(
  list: readonly ButtonJson[],
  at: string,
  errors: FieldError[],
): TemplateButtonValue[] {
  const buttons: TemplateButtonValue[] = [];
  list.forEach((b, i) => {
    const missing = (field: string) =>
      errors.push({ field: `${at}[${i}].${field}`, message: "must not be null" });
    switch (b.type) {
      case "QUICK_REPLY":
      case "URL":
      case "COPY_CODE":
        if (b.parameter === undefined) missing("parameter");
        else buttons.push({ type: b.type, parameter: b.parameter });
        break;
      case "FLOW":
        buttons.push({
          type: "FLOW",
          ...(b.flowToken !== undefined ? { flowToken: b.flowToken } : {}),
          ...(b.data ? { data: b.data } : {}),
        });
        break;
      case "CATALOG":
        buttons.push({
          type: "CATALOG",
          ...(b.thumbnailProductRetailerId
            ? { thumbnailProductRetailerId: b.thumbnailProductRetailerId }
            : {}),
        });
        break;
      case "MULTI_PRODUCT":
        if (b.thumbnailProductRetailerId === undefined) missing("thumbnailProductRetailerId");
        if (b.sections === undefined) missing("sections");
        if (b.thumbnailProductRetailerId !== undefined && b.sections !== undefined) {
          buttons.push({
            type: "MULTI_PRODUCT",
            thumbnailProductRetailerId: b.thumbnailProductRetailerId,
            sections: b.sections,
          });
        }
        break;
      case "ORDER_DETAILS":
        if (b.action === undefined) missing("action");
        else
          buttons.push({
            type: "ORDER_DETAILS",
            action: orderActionToCore(b.action, `${at}[${i}].action`, errors),
          });
        break;
      case "VOICE_CALL":
        buttons.push({
          type: "VOICE_CALL",
          ...(b.callValidityPeriod !== undefined ? { callValidityPeriod: b.callValidityPeriod } : {}),
          ...(b.callContextPayload !== undefined ? { callContextPayload: b.callContextPayload } : {}),
        });
        break;
      default:
        errors.push({
          field: `${at}[${i}].type`,
          message: `${b.type} buttons are not supported yet (QUICK_REPLY, URL, COPY_CODE, FLOW, CATALOG, MULTI_PRODUCT, ORDER_DETAILS, VOICE_CALL are)`,
        });
    }
  });
  return buttons;
}

/** Core template-send paths (`body.placeholders`) → Infobip paths within one message. */
export function templateSendPath(index: number, field: string): string {
  const at = `messages[${index}]`;
  if (/^(body|header|buttons|limitedTimeOffer|carousel)/.test(field))
    return `${at}.content.templateData.${field}`;
  if (/^(templateName|language)/.test(field)) return `${at}.content.${field}`;
  return `${at}.${field}`;
}
