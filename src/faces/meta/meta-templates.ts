/**
 * Meta's template components ⇄ the core's template structure. Translation only: what a valid
 * template is, the core decides (template-definition-rules.ts).
 */
import {
  authenticationBody,
  type CarouselCard,
  TEMPLATE_CATEGORIES,
  type Template,
  type TemplateButton,
  type TemplateCategory,
  type TemplateDefinition,
  type TemplateHeader,
  type TemplateStructure,
} from "../../core/template.ts";
import { DEFAULT_TTL_SECONDS } from "../../core/ttl.ts";
import { structureToComponents } from "../../meta-graph/template-components.ts";
import type { CardComponent, Component } from "../../meta-graph/template-schemas.ts";
import { invalid, type Translated, type Untranslated } from "../kit/translated.ts";

const fail = (
  field: string,
  message: string,
  code: KnownErrorCode = WA.invalidParameter.code,
): Untranslated => invalid({ field, message, code });

import { type KnownErrorCode, WA } from "../../core/whatsapp-errors.ts";

export function categoryOf(raw: string): TemplateCategory | undefined {
  const upper = raw.toUpperCase();
  return (TEMPLATE_CATEGORIES as readonly string[]).includes(upper) ? (upper as TemplateCategory) : undefined;
}

export function componentsToStructure(
  components: readonly Component[],
  category: TemplateCategory,
): Translated<TemplateStructure> {
  let header: TemplateStructure["header"];
  let bodyText: string | undefined;
  let examples: string[] | undefined;
  let footer: string | undefined;
  let limitedTimeOffer: TemplateStructure["limitedTimeOffer"];
  let securityRecommendation = false;
  let carousel: TemplateStructure["carousel"];
  const buttons: TemplateButton[] = [];
  for (const [i, c] of components.entries()) {
    const at = `components[${i}]`;
    switch (c.type.toUpperCase()) {
      case "HEADER": {
        const h = headerToCore(c, at);
        if (!h.ok) return h;
        header = h.value;
        break;
      }
      case "BODY":
        bodyText = c.text;
        examples = c.example?.body_text?.[0];
        securityRecommendation = c.add_security_recommendation ?? false;
        break;
      case "FOOTER":
        if (c.text !== undefined) footer = c.text;
        break;
      case "LIMITED_TIME_OFFER":
        if (!c.limited_time_offer)
          return fail(`${at}.limited_time_offer`, "is required", WA.requiredParameterMissing.code);
        limitedTimeOffer = {
          text: c.limited_time_offer.text,
          hasExpiration: c.limited_time_offer.has_expiration ?? false,
        };
        break;
      case "BUTTONS":
        for (const [j, b] of (c.buttons ?? []).entries()) {
          const button = buttonToCore(b, `${at}.buttons[${j}]`);
          if (!button.ok) return button;
          buttons.push(button.value);
        }
        break;
      case "CAROUSEL": {
        const cards: CarouselCard[] = [];
        for (const [j, card] of (c.cards ?? []).entries()) {
          const parsed = cardToCore(card.components, `${at}.cards[${j}]`);
          if (!parsed.ok) return parsed;
          cards.push(parsed.value);
        }
        carousel = { cards };
        break;
      }
      default:
        return fail(`${at}.type`, `component ${c.type} is not supported`);
    }
  }
  if (category === "AUTHENTICATION") bodyText ??= authenticationBody(securityRecommendation);
  if (bodyText === undefined)
    return fail("components", "a BODY component with text is required", WA.requiredParameterMissing.code);
  return {
    ok: true,
    value: {
      ...(header ? { header } : {}),
      body: { text: bodyText, ...(examples ? { examples } : {}) },
      ...(footer !== undefined ? { footer: { text: footer } } : {}),
      buttons,
      ...(limitedTimeOffer ? { limitedTimeOffer } : {}),
      ...(carousel ? { carousel } : {}),
    },
  };
}

function headerToCore(c: CardComponent, at: string): Translated<TemplateHeader> {
  const format = (c.format ?? "TEXT").toUpperCase();
  if (format === "TEXT") {
    if (c.text === undefined)
      return fail(`${at}.text`, "is required for a TEXT header", WA.requiredParameterMissing.code);
    const example = c.example?.header_text?.[0];
    return {
      ok: true,
      value: { format: "TEXT", text: c.text, ...(example !== undefined ? { example } : {}) },
    };
  }
  if (format === "LOCATION") return { ok: true, value: { format: "LOCATION" } };
  if (format === "IMAGE" || format === "VIDEO" || format === "GIF" || format === "DOCUMENT") {
    const example = c.example?.header_handle?.[0];
    return { ok: true, value: { format, ...(example !== undefined ? { example } : {}) } };
  }
  return fail(`${at}.format`, `header format ${format} is not valid`);
}

/** A carousel card's HEADER, BODY and BUTTONS components as the core's card. */
function cardToCore(components: readonly CardComponent[], where: string): Translated<CarouselCard> {
  let header: TemplateHeader | undefined;
  let body: CarouselCard["body"];
  const buttons: TemplateButton[] = [];
  for (const [i, c] of components.entries()) {
    const at = `${where}.components[${i}]`;
    const type = c.type.toUpperCase();
    if (type === "HEADER") {
      const h = headerToCore(c, at);
      if (!h.ok) return h;
      header = h.value;
    } else if (type === "BODY") {
      if (c.text === undefined) return fail(`${at}.text`, "is required", WA.requiredParameterMissing.code);
      const examples = c.example?.body_text?.[0];
      body = { text: c.text, ...(examples ? { examples } : {}) };
    } else if (type === "BUTTONS") {
      for (const [j, b] of (c.buttons ?? []).entries()) {
        const button = buttonToCore(b, `${at}.buttons[${j}]`);
        if (!button.ok) return button;
        buttons.push(button.value);
      }
    } else return fail(`${at}.type`, `a card has HEADER, BODY and BUTTONS components, not ${c.type}`);
  }
  return { ok: true, value: { ...(header ? { header } : {}), ...(body ? { body } : {}), buttons } };
}

function buttonToCore(
  b: CardComponent["buttons"] extends (infer B)[] | undefined ? B : never,
  at: string,
): Translated<TemplateButton> {
  const text = b.text ?? "";
  const example = Array.isArray(b.example) ? b.example[0] : b.example;
  switch (b.type.toUpperCase()) {
    case "QUICK_REPLY":
      return { ok: true, value: { type: "QUICK_REPLY", text } };
    case "URL":
      if (b.url === undefined) return fail(`${at}.url`, "is required", WA.requiredParameterMissing.code);
      return {
        ok: true,
        value: { type: "URL", text, url: b.url, ...(example !== undefined ? { example } : {}) },
      };
    case "PHONE_NUMBER":
      if (b.phone_number === undefined)
        return fail(`${at}.phone_number`, "is required", WA.requiredParameterMissing.code);
      return { ok: true, value: { type: "PHONE_NUMBER", text, phoneNumber: b.phone_number } };
    case "COPY_CODE":
      if (example === undefined)
        return fail(`${at}.example`, "is required", WA.requiredParameterMissing.code);
      return { ok: true, value: { type: "COPY_CODE", text: b.text ?? "Copy offer code", example } };
    case "OTP": {
      const otpType = (b.otp_type ?? "COPY_CODE").toUpperCase();
      if (otpType !== "COPY_CODE" && otpType !== "ONE_TAP")
        return fail(`${at}.otp_type`, `otp_type ${otpType} is not supported`);
      return { ok: true, value: { type: "OTP", otpType, ...(b.text ? { text: b.text } : {}) } };
    }
    case "FLOW":
      if (b.flow_id === undefined)
        return fail(
          `${at}.flow_id`,
          "is required (flows by name are not built)",
          WA.requiredParameterMissing.code,
        );
      return {
        ok: true,
        value: {
          type: "FLOW",
          text,
          flowId: String(b.flow_id),
          flowAction:
            (b.flow_action ?? "navigate").toUpperCase() === "DATA_EXCHANGE" ? "DATA_EXCHANGE" : "NAVIGATE",
          ...(b.navigate_screen ? { navigateScreen: b.navigate_screen } : {}),
        },
      };
    case "CATALOG":
      return { ok: true, value: { type: "CATALOG", text: b.text ?? "View catalog" } };
    case "MPM":
      return { ok: true, value: { type: "MULTI_PRODUCT", text: b.text ?? "View items" } };
    default:
      return fail(`${at}.type`, `${b.type} buttons are not supported yet`);
  }
}

export function createToDefinition(body: {
  name: string;
  language: string;
  category: string;
  message_send_ttl_seconds?: number;
  components: readonly Component[];
}): Translated<TemplateDefinition> {
  const category = categoryOf(body.category);
  if (!category) return fail("category", "must be MARKETING, UTILITY or AUTHENTICATION");
  const structure = componentsToStructure(body.components, category);
  if (!structure.ok) return structure;
  const ttl = ttlSecondsOf(body.message_send_ttl_seconds);
  return {
    ok: true,
    value: {
      name: body.name,
      language: body.language,
      category,
      structure: structure.value,
      ...(ttl !== undefined && ttl !== null ? { ttlSeconds: ttl } : {}),
    },
  };
}

/** `message_send_ttl_seconds` as the core's: -1 is WhatsApp's default (null), absent is unchanged. */
export function ttlSecondsOf(seconds: number | undefined): number | null | undefined {
  return seconds === DEFAULT_TTL_SECONDS ? null : seconds;
}

/** The core's field names in Meta's words (template registration). */
export const templateField = (field: string) => (field === "ttlSeconds" ? "message_send_ttl_seconds" : field);

export { structureToComponents };

export function templateView(t: Template) {
  return {
    id: t.id,
    name: t.name,
    language: t.language,
    status: t.status,
    category: t.category,
    components: structureToComponents(t.structure),
    ...(t.ttlSeconds !== undefined ? { message_send_ttl_seconds: t.ttlSeconds } : {}),
    quality_score: { score: t.status === "APPROVED" ? "GREEN" : "UNKNOWN" },
    ...(t.status === "REJECTED" ? { rejected_reason: t.rejectionReason ?? "NONE" } : {}),
  };
}
