/**
 * Infobip → core: maps request JSON to the core's types, and the core's field paths back to
 * Infobip's. Only translation here; every rule lives in src/core.
 */
import type { FieldError } from "../../core/field-error.ts";
import type { OutboundRequest, TemplateButtonValue, TemplateHeaderValue } from "../../core/message.ts";
import { normalizeDomain, type UrlOptions } from "../../core/short-links.ts";
import { authenticationBody, type TemplateButton, type TemplateDefinition, type TemplateStructure } from "../../core/template.ts";
import type { TemplateMessage, TextSendBody } from "./schemas/send-schemas.ts";
import type { Structure, TemplateCreateBody } from "./schemas/template-schemas.ts";

type Translated<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errors: FieldError[] };

/** The envelope fields every Infobip send shares, as the core's request fields. */
export function envelopeOf(
  m: Pick<TextSendBody, "from" | "to" | "messageId" | "callbackData" | "notifyUrl" | "entityId" | "applicationId" | "context" | "urlOptions">,
) {
  const out: {
    from: string; to: string; messageId?: string; callbackData?: string; notifyUrl?: string; entityId?: string; applicationId?: string;
    replyTo?: string; urlOptions?: UrlOptions;
  } = { from: m.from, to: m.to };
  if (m.messageId) out.messageId = m.messageId;
  if (m.callbackData !== undefined) out.callbackData = m.callbackData;
  if (m.notifyUrl) out.notifyUrl = m.notifyUrl;
  if (m.entityId) out.entityId = m.entityId;
  if (m.applicationId) out.applicationId = m.applicationId;
  if (m.context) out.replyTo = m.context.replyToMessageId;
  if (m.urlOptions) out.urlOptions = urlOptionsToCore(m.urlOptions);
  return out;
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

export function textToCore(body: TextSendBody): OutboundRequest {
  return { ...envelopeOf(body), content: { type: "text", text: body.content.text, previewUrl: body.content.previewUrl ?? false } };
}

export function templateMessageToCore(m: TemplateMessage): Translated<OutboundRequest> {
  const errors: FieldError[] = [];
  const data = m.content.templateData;
  let header: TemplateHeaderValue | undefined;
  const h = data.header;
  if (h) {
    const missing = (field: string) => errors.push({ field: `header.${field}`, message: "must not be null" });
    if (h.type === "TEXT") {
      if (h.placeholder === undefined) missing("placeholder");
      else header = { type: "TEXT", placeholder: h.placeholder };
    } else if (h.type === "DOCUMENT") {
      if (h.mediaUrl === undefined) missing("mediaUrl");
      if (h.filename === undefined) missing("filename");
      if (h.mediaUrl !== undefined && h.filename !== undefined) header = { type: "DOCUMENT", mediaUrl: h.mediaUrl, filename: h.filename };
    } else if (h.type === "LOCATION") {
      if (h.latitude === undefined) missing("latitude");
      if (h.longitude === undefined) missing("longitude");
      if (h.latitude !== undefined && h.longitude !== undefined) header = { type: "LOCATION", latitude: h.latitude, longitude: h.longitude };
    } else if (h.mediaUrl === undefined) missing("mediaUrl");
    else header = { type: h.type, mediaUrl: h.mediaUrl };
  }
  const buttons: TemplateButtonValue[] = [];
  (data.buttons ?? []).forEach((b, i) => {
    const missing = (field: string) => errors.push({ field: `buttons[${i}].${field}`, message: "must not be null" });
    switch (b.type) {
      case "QUICK_REPLY":
      case "URL":
      case "COPY_CODE":
        if (b.parameter === undefined) missing("parameter");
        else buttons.push({ type: b.type, parameter: b.parameter });
        break;
      case "FLOW":
        buttons.push({ type: "FLOW", ...(b.flowToken !== undefined ? { flowToken: b.flowToken } : {}), ...(b.data ? { data: b.data } : {}) });
        break;
      case "CATALOG":
        buttons.push({ type: "CATALOG", ...(b.thumbnailProductRetailerId ? { thumbnailProductRetailerId: b.thumbnailProductRetailerId } : {}) });
        break;
      case "MULTI_PRODUCT":
        if (b.thumbnailProductRetailerId === undefined) missing("thumbnailProductRetailerId");
        if (b.sections === undefined) missing("sections");
        if (b.thumbnailProductRetailerId !== undefined && b.sections !== undefined) {
          buttons.push({ type: "MULTI_PRODUCT", thumbnailProductRetailerId: b.thumbnailProductRetailerId, sections: b.sections });
        }
        break;
      default:
        errors.push({
          field: `buttons[${i}].type`,
          message: `${b.type} buttons are not supported yet (QUICK_REPLY, URL, COPY_CODE, FLOW, CATALOG, MULTI_PRODUCT are)`,
        });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...envelopeOf(m),
      content: {
        type: "template",
        templateName: m.content.templateName,
        language: m.content.language,
        bodyPlaceholders: data.body.placeholders,
        ...(header ? { header } : {}),
        buttons,
        ...(data.limitedTimeOffer ? { offerExpiresAt: data.limitedTimeOffer.expirationTime } : {}),
      },
      ...(m.smsFailover ? { smsFailover: { from: m.smsFailover.from, text: m.smsFailover.text } } : {}),
    },
  };
}

/** Core template-send paths (`body.placeholders`) → Infobip paths within one message. */
export function templateSendPath(index: number, field: string): string {
  const at = `messages[${index}]`;
  if (/^(body|header|buttons|limitedTimeOffer)/.test(field)) return `${at}.content.templateData.${field}`;
  if (/^(templateName|language)/.test(field)) return `${at}.content.${field}`;
  return `${at}.${field}`;
}

function structureToCore(s: Structure, category: TemplateCreateBody["category"]): Translated<TemplateStructure> {
  const errors: FieldError[] = [];
  let bodyText = s.body.text;
  if (category === "AUTHENTICATION") bodyText ??= authenticationBody(s.body.addSecurityRecommendation ?? false);
  if (bodyText === undefined) errors.push({ field: "structure.body.text", message: "must not be null" });
  let header: TemplateStructure["header"];
  if (s.header) {
    if (s.header.format === "TEXT") {
      if (s.header.text === undefined) errors.push({ field: "structure.header.text", message: "must not be null" });
      else header = { format: "TEXT", text: s.header.text, ...(s.header.example ? { example: s.header.example } : {}) };
    } else if (s.header.format === "LOCATION") header = { format: "LOCATION" };
    else header = { format: s.header.format, ...(s.header.example ? { example: s.header.example } : {}) };
  }
  const buttons: TemplateButton[] = [];
  (s.buttons ?? []).forEach((b, i) => {
    const at = `structure.buttons[${i}]`;
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
        buttons.push({ type: "URL", text: need("text"), url: need("url"), ...(b.example ? { example: b.example } : {}) });
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
      default:
        errors.push({ field: `${at}.type`, message: `${b.type} buttons are not supported yet` });
    }
  });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      ...(header ? { header } : {}),
      body: { text: bodyText as string, ...(s.body.examples ? { examples: s.body.examples } : {}) },
      ...(s.footer?.text !== undefined ? { footer: { text: s.footer.text } } : {}),
      buttons,
      ...(s.limitedTimeOffer
        ? { limitedTimeOffer: { text: s.limitedTimeOffer.text, hasExpiration: s.limitedTimeOffer.hasExpiration ?? false } }
        : {}),
      ...(s.shorteningOptions ? { shortening: { customDomain: normalizeDomain(s.shorteningOptions.customDomain) } } : {}),
    },
  };
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
