/**
 * Infobip → core for template registration (`/whatsapp/2/senders/{sender}/templates`): a template's
 * structure (header, body, footer, buttons, carousel, shortening options) as the core's
 * definition. Only translation here; the registration rules live in src/core.
 */
import type { FieldError } from "../../core/field-error.ts";
import { normalizeDomain } from "../../core/short-links.ts";
import {
  authenticationBody,
  type CarouselCard,
  type TemplateButton,
  type TemplateCategory,
  type TemplateDefinition,
  type TemplateHeader,
  type TemplateStructure,
} from "../../core/template.ts";
import { DEFAULT_TTL_SECONDS } from "../../core/ttl.ts";
import { invalid, type Translated } from "../kit/translated.ts";
import type { Structure, TemplateCreateBody, ValidityPeriod } from "./schemas/template-schemas.ts";

export function structureToCore(
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
  const ttl = validityPeriodToCore(body.validityPeriod, body.category);
  if (!ttl.ok) return ttl;
  return {
    ok: true,
    value: {
      name: body.name,
      language: body.language,
      category: body.category,
      structure: structure.value,
      ...(body.platform?.entityId ? { entityId: body.platform.entityId } : {}),
      ...(body.platform?.applicationId ? { applicationId: body.platform.applicationId } : {}),
      ...(ttl.value !== undefined && ttl.value !== null ? { ttlSeconds: ttl.value } : {}),
    },
  };
}

/**
 * `validityPeriod` as the core's TTL in seconds: -1 is Meta's default (null), absent is
 * unchanged. Infobip takes it on AUTHENTICATION templates only; the bounds are the core's.
 */
export function validityPeriodToCore(
  period: ValidityPeriod | undefined,
  category: TemplateCategory,
): Translated<number | null | undefined> {
  if (period === undefined) return { ok: true, value: undefined };
  if (category !== "AUTHENTICATION")
    return invalid({
      field: "validityPeriod",
      message: "works only for templates with AUTHENTICATION category",
    });
  if (period.amount === DEFAULT_TTL_SECONDS) return { ok: true, value: null };
  return { ok: true, value: period.amount * (period.timeUnit === "SECONDS" ? 1 : 60) };
}

/** The core's field names in Infobip's words (template registration). */
export const templateField = (field: string) => (field === "ttlSeconds" ? "validityPeriod" : field);
