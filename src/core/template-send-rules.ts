/**
 * Does a template send match the template as registered? The number of body values, the header,
 * the dynamic buttons and a carousel's cards must all agree, or WhatsApp would refuse to render it.
 */
import type { FieldError } from "./field-error.ts";
import type { TemplateButtonValue, TemplateCardValue, TemplateContent } from "./message.ts";
import { type OrderDetailsAction, TEMPLATE_PAYMENT_TYPES } from "./order-content.ts";
import { checkOrderAction } from "./order-rules.ts";
import {
  dynamicButtonsOf,
  placeholders,
  sendShapeOf,
  type Template,
  type TemplateStructure,
} from "./template.ts";
import { textLength } from "./text-length.ts";
import { WA } from "./whatsapp-errors.ts";

/**
 * Pick the template a send refers to from every language registered under that name, or say
 * which field is wrong.
 */
export function resolveTemplate(
  candidates: readonly Template[],
  content: Pick<TemplateContent, "templateName" | "language">,
): Template | FieldError {
  if (candidates.length === 0) {
    return {
      field: "templateName",
      message: `template ${content.templateName} does not exist`,
      code: WA.templateNotFound.code,
    };
  }
  const template = candidates.find((t) => t.language === content.language);
  if (!template) {
    const languages = candidates.map((t) => t.language).join(", ");
    return {
      field: "language",
      message: `template ${content.templateName} is not registered in ${content.language} (registered: ${languages})`,
      code: WA.templateNotFound.code,
    };
  }
  if (template.status !== "APPROVED") {
    const code =
      template.status === "PAUSED"
        ? WA.templatePaused.code
        : template.status === "DISABLED"
          ? WA.templateDisabled.code
          : WA.templateNotFound.code;
    return {
      field: "templateName",
      message: `template ${content.templateName} is ${template.status}, not APPROVED`,
      code,
    };
  }
  return template;
}

export function checkTemplateSend(template: Template, content: TemplateContent): FieldError[] {
  const errors: FieldError[] = [];
  const s = template.structure;
  const shape = sendShapeOf(s);
  errors.push(
    ...placeholderErrors(template.name, shape.bodyValues, content.bodyPlaceholders, "body.placeholders"),
  );

  if (shape.headerTakesValue) {
    const format = s.header?.format;
    if (!content.header) {
      errors.push({
        field: "header",
        message: `template ${template.name} has a ${format} header that needs a value`,
        code: WA.templateParamCountMismatch.code,
      });
    } else if (content.header.type !== format) {
      errors.push({
        field: "header.type",
        message: `must be ${format}, as registered`,
        code: WA.templateParamFormatMismatch.code,
      });
    }
  } else if (content.header) {
    errors.push({
      field: "header",
      message: `template ${template.name} has no header that takes a value`,
      code: WA.templateParamCountMismatch.code,
    });
  }

  const offer = s.limitedTimeOffer;
  if (offer?.hasExpiration) {
    if (content.offerExpiresAt === undefined) {
      errors.push({
        field: "limitedTimeOffer.expirationTime",
        message: `template ${template.name} needs the offer's expiration time`,
      });
    } else if (Number.isNaN(Date.parse(content.offerExpiresAt))) {
      errors.push({
        field: "limitedTimeOffer.expirationTime",
        message: "must be a date-time such as 2026-12-31T23:59:59.000+0000",
      });
    }
  } else if (content.offerExpiresAt !== undefined) {
    errors.push({
      field: "limitedTimeOffer",
      message: `template ${template.name} has no limited-time offer with an expiration`,
    });
  }

  errors.push(...buttonValueErrors(template.name, s, content.buttons, "buttons"));
  errors.push(...carouselErrors(template, content));
  return errors;
}

function placeholderErrors(
  name: string,
  expected: number,
  values: readonly string[],
  at: string,
): FieldError[] {
  const errors: FieldError[] = [];
  if (values.length !== expected) {
    errors.push({
      field: at,
      message: `template ${name} expects ${expected} placeholders, got ${values.length}`,
      code: WA.templateParamCountMismatch.code,
    });
  }
  values.forEach((value, i) => {
    if (value.trim().length === 0) errors.push({ field: `${at}[${i}]`, message: "must not be blank" });
  });
  return errors;
}

function buttonValueErrors(
  name: string,
  registered: Pick<TemplateStructure, "buttons">,
  values: readonly TemplateButtonValue[],
  at: string,
): FieldError[] {
  const errors: FieldError[] = [];
  // A VOICE_CALL button is static: its value is optional, so it does not count among those to fill.
  const hasVoiceCall = registered.buttons.some((b) => b.type === "VOICE_CALL");
  values.forEach((b, i) => {
    if (b.type === "VOICE_CALL") errors.push(...voiceCallErrors(name, b, hasVoiceCall, `${at}[${i}]`));
  });
  const filled = values.flatMap((b, i) => (b.type === "VOICE_CALL" ? [] : [{ b, i }]));
  const kinds = dynamicButtonsOf(registered);
  if (filled.length !== kinds.length) {
    return [
      ...errors,
      {
        field: at,
        message: `template ${name} has ${kinds.length} buttons that take a value, got ${filled.length}`,
        code: WA.templateParamCountMismatch.code,
      },
    ];
  }
  filled.forEach(({ b, i }, k) => {
    if (b.type !== kinds[k])
      errors.push({
        field: `${at}[${i}].type`,
        message: `must be ${kinds[k]}, as registered`,
        code: WA.templateParamFormatMismatch.code,
      });
    else if (b.type === "ORDER_DETAILS")
      errors.push(...orderButtonErrors(registered, b.action, `${at}[${i}].action`));
  });
  return errors;
}

/** An ORDER_DETAILS button's order follows the order-details rules, paid the way its variant allows. */
function orderButtonErrors(
  registered: Pick<TemplateStructure, "buttons">,
  action: OrderDetailsAction,
  at: string,
): FieldError[] {
  const button = registered.buttons.find((b) => b.type === "ORDER_DETAILS");
  const allowed = button?.type === "ORDER_DETAILS" ? TEMPLATE_PAYMENT_TYPES[button.variant] : [];
  if (button?.type === "ORDER_DETAILS" && !allowed.includes(action.payment.type)) {
    return [
      {
        field: `${at}.payment.type`,
        message: `must be one of ${allowed.join(", ")} for a ${button.variant} ORDER_DETAILS button`,
        code: WA.templateParamFormatMismatch.code,
      },
    ];
  }
  return checkOrderAction(action, at);
}

function voiceCallErrors(
  name: string,
  b: TemplateButtonValue & { type: "VOICE_CALL" },
  registered: boolean,
  at: string,
): FieldError[] {
  if (!registered)
    return [
      {
        field: `${at}.type`,
        message: `template ${name} has no VOICE_CALL button`,
        code: WA.templateParamFormatMismatch.code,
      },
    ];
  const errors: FieldError[] = [];
  if (b.callValidityPeriod !== undefined && (b.callValidityPeriod < 1 || b.callValidityPeriod > 43200)) {
    errors.push({ field: `${at}.callValidityPeriod`, message: "must be between 1 and 43200 minutes" });
  }
  const payload = b.callContextPayload;
  if (payload !== undefined && (payload.length < 1 || textLength(payload) > 512)) {
    errors.push({ field: `${at}.callContextPayload`, message: "size must be between 1 and 512" });
  }
  return errors;
}

/** A carousel send fills every registered card, in order: its media, body values and dynamic buttons. */
function carouselErrors(template: Template, content: TemplateContent): FieldError[] {
  const cards = template.structure.carousel?.cards;
  const values = content.carousel;
  if (!cards) {
    return values
      ? [
          {
            field: "carousel",
            message: `template ${template.name} has no carousel`,
            code: WA.templateParamCountMismatch.code,
          },
        ]
      : [];
  }
  if (!values)
    return [
      {
        field: "carousel",
        message: `template ${template.name} has a carousel of ${cards.length} cards that needs values`,
        code: WA.templateParamCountMismatch.code,
      },
    ];
  if (values.length !== cards.length) {
    return [
      {
        field: "carousel.cards",
        message: `template ${template.name} has ${cards.length} cards, got ${values.length}`,
        code: WA.templateParamCountMismatch.code,
      },
    ];
  }
  return cards.flatMap((card, i) => {
    const at = `carousel.cards[${i}]`;
    const value = values[i] as TemplateCardValue;
    const errors: FieldError[] = [];
    const format = card.header?.format;
    if (!value.header)
      errors.push({
        field: `${at}.header`,
        message: `card ${i} has a ${format} header that needs a value`,
        code: WA.templateParamCountMismatch.code,
      });
    else if (value.header.type !== format)
      errors.push({
        field: `${at}.header.type`,
        message: `must be ${format}, as registered`,
        code: WA.templateParamFormatMismatch.code,
      });
    const expected = new Set(placeholders(card.body?.text ?? "")).size;
    errors.push(
      ...placeholderErrors(template.name, expected, value.bodyPlaceholders, `${at}.body.placeholders`),
    );
    errors.push(...buttonValueErrors(template.name, card, value.buttons, `${at}.buttons`));
    return errors;
  });
}
