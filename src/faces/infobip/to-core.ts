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
import { normalizeDomain, type UrlOptions } from "../../core/short-links.ts";
import {
  authenticationBody,
  type CarouselCard,
  type TemplateButton,
  type TemplateDefinition,
  type TemplateHeader,
  type TemplateStructure,
} from "../../core/template.ts";
import { invalid, type Translated } from "../kit/translated.ts";
import { orderActionToCore } from "./order-to-core.ts";
import type { TemplateMessage, TextSendBody } from "./schemas/send-schemas.ts";
import type { Structure, TemplateCreateBody } from "./schemas/template-schemas.ts";

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

function structureToCore(
  s: Structure,
  category: TemplateCreateBody["category"],
): Translated<TemplateStructure> {
  const errors: FieldError[] = [];
  let bodyText = s.body.text;
  if (category === "AUTHENTICATION")
    bodyText ??= authenticationBody(s.body.addSecurityRecommendation ?? false);
  if (bodyText === undefined) errors.push({ field: "structure.body.text", message: "must not be null" });
  const header = s.header ? headerToCore(s.header, "structure.header", errors) : undefined;
  const buttons = buttonsToCore(s.buttons ?? [], "structure.buttons", errors);
  const cards = s.carousel?.cards.map((card, i): CarouselCard => {
    const at = `structure.carousel.cards[${i}]`;
    const cardHeader = headerToCore(card.header, `${at}.header`, errors);
    return {
      ...(cardHeader ? { header: cardHeader } : {}),
      body: { text: card.body.text, ...(card.body.examples ? { examples: card.body.examples } : {}) },
      buttons: buttonsToCore(card.buttons, `${at}.buttons`, errors),
    };
  });
  if (errors.length > 0) return invalid(...errors);
  return {
    ok: true,
    value: {
      ...(header ? { header } : {}),
      body: { text: bodyText as string, ...(s.body.examples ? { examples: s.body.examples } : {}) },
      ...(s.footer?.text !== undefined ? { footer: { text: s.footer.text } } : {}),
      buttons,
      ...(s.limitedTimeOffer
        ? {
            limitedTimeOffer: {
              text: s.limitedTimeOffer.text,
              hasExpiration: s.limitedTimeOffer.hasExpiration ?? false,
            },
          }
        : {}),
      ...(s.shorteningOptions
        ? { shortening: { customDomain: normalizeDomain(s.shorteningOptions.customDomain) } }
        : {}),
      ...(cards ? { carousel: { cards } } : {}),
    },
  };
}

function headerToCore(
  h: NonNullable<Structure["header"]>,
  at: string,
  errors: FieldError[],
): TemplateHeader | undefined {
  if (h.format === "TEXT") {
    if (h.text !== undefined)
      return { format: "TEXT", text: h.text, ...(h.example ? { example: h.example } : {}) };
    errors.push({ field: `${at}.text`, message: "must not be null" });
    return undefined;
  }
  if (h.format === "LOCATION") return { format: "LOCATION" };
  return { format: h.format, ...(h.example ? { example: h.example } : {}) };
}

function buttonsToCore(
  list: NonNullable<Structure["buttons"]>,
  where: string,
  errors: FieldError[],
): TemplateButton[] {
  const buttons: TemplateButton[] = [];
  list.forEach((b, i) => {
    const at = `${where}[${i}]`;
    if ("otpType" in b) {
      buttons.push({ type: "OTP", otpType: b.otpType, ...(b.text ? { text: b.text } : {}) });
      return;
    }
    const need = (field: "text" | "url" | "phoneNumber" | "example"): string => {
      const v = b[field];
      if (v === undefined) errors.push({ field: `${at}.${field}`, message: "must not be null" });
      return v ?? "";
    };
    switch (b.type) {
      case "QUICK_REPLY":
        buttons.push({ type: "QUICK_REPLY", text: need("text") });
        break;
      case "URL":
        buttons.push({
          type: "URL",
          text: need("text"),
          url: need("url"),
          ...(b.example ? { example: b.example } : {}),
        });
        break;
      case "PHONE_NUMBER":
        buttons.push({ type: "PHONE_NUMBER", text: need("text"), phoneNumber: need("phoneNumber") });
        break;
      case "COPY_CODE":
        buttons.push({ type: "COPY_CODE", text: b.text ?? "Copy offer code", example: need("example") });
        break;
      case "FLOW":
        if (b.flowId === undefined) errors.push({ field: `${at}.flowId`, message: "must not be null" });
        buttons.push({
          type: "FLOW",
          text: need("text"),
          flowId: String(b.flowId ?? ""),
          flowAction: b.flowAction ?? "NAVIGATE",
          ...(b.navigateScreen ? { navigateScreen: b.navigateScreen } : {}),
        });
        break;
      case "CATALOG":
        buttons.push({ type: "CATALOG", text: b.text ?? "View catalog" });
        break;
      case "MULTI_PRODUCT":
        buttons.push({ type: "MULTI_PRODUCT", text: b.text ?? "View items" });
        break;
      case "ORDER_DETAILS":
        if (b.variant === undefined) errors.push({ field: `${at}.variant`, message: "must not be null" });
        buttons.push({
          type: "ORDER_DETAILS",
          text: b.text ?? "Review and pay",
          variant: b.variant ?? "INDIA",
        });
        break;
      case "VOICE_CALL":
        buttons.push({
          type: "VOICE_CALL",
          text: need("text"),
          ...(b.callValidityPeriod !== undefined ? { callValidityPeriod: b.callValidityPeriod } : {}),
        });
        break;
      default:
        errors.push({ field: `${at}.type`, message: `${b.type} buttons are not supported yet` });
    }
  });
  return buttons;
}

export function templateDefinitionToCore(body: TemplateCreateBody): Translated<TemplateDefinition> {
  const structure = structureToCore(body.structure, body.category);
  if (!structure.ok) return structure;
  return {
    ok: true,
    value: {
      name: body.name,
      language: body.language,
      category: body.category,
      structure: structure.value,
      ...(body.platform?.entityId ? { entityId: body.platform.entityId } : {}),
      ...(body.platform?.applicationId ? { applicationId: body.platform.applicationId } : {}),
    },
  };
}

export { structureToCore };
