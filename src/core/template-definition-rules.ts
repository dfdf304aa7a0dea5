/**
 * Structural rules a template must satisfy to be accepted for review at all (a 400 at
 * registration). Content rules that Meta's reviewers apply later live in template-review.ts.
 */
import type { FieldError } from "./field-error.ts";
import { isHttpUrl } from "./http-url.ts";
import {
  type CarouselCard,
  placeholders,
  SOLE_BUTTONS,
  TEMPLATE_NAME,
  type TemplateButton,
  type TemplateDefinition,
  type TemplateStructure,
} from "./template.ts";
import { textLength } from "./text-length.ts";
import { checkTemplateTtl } from "./ttl.ts";

const LIMITS = { header: 60, body: 1024, footer: 60, buttonText: 25, buttons: 10 } as const;

export function checkTemplateDefinition(def: TemplateDefinition): FieldError[] {
  const errors: FieldError[] = [];
  if (!TEMPLATE_NAME.test(def.name)) {
    errors.push({
      field: "name",
      message: "must match ^[a-z0-9_]{1,512}$ (lowercase letters, digits, underscores)",
    });
  }
  if (!/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/.test(def.language)) {
    errors.push({ field: "language", message: "must be a WhatsApp language code such as en or en_GB" });
  }
  errors.push(...checkStructure(def.structure));
  errors.push(...checkCarousel(def));
  errors.push(...checkTemplateTtl(def.category, def.ttlSeconds));
  const offer = def.structure.limitedTimeOffer;
  if (offer) {
    if (def.category !== "MARKETING") {
      errors.push({
        field: "structure.limitedTimeOffer",
        message: "only MARKETING templates can carry a limited-time offer",
      });
    }
    if (offer.text.trim().length < 1 || textLength(offer.text) > 16) {
      errors.push({ field: "structure.limitedTimeOffer.text", message: "size must be between 1 and 16" });
    }
    if (def.structure.footer) {
      errors.push({
        field: "structure.footer",
        message: "a limited-time offer template cannot have a footer",
      });
    }
  }
  return errors;
}

function checkStructure(s: TemplateStructure): FieldError[] {
  const errors: FieldError[] = [];
  const header = s.header;
  if (header?.format === "TEXT") {
    if (header.text.length < 1 || textLength(header.text) > LIMITS.header) {
      errors.push({ field: "structure.header.text", message: `size must be between 1 and ${LIMITS.header}` });
    }
    if (placeholders(header.text).length > 1) {
      errors.push({
        field: "structure.header.text",
        message: "a text header may have at most one placeholder",
      });
    } else if (placeholders(header.text).some((n) => n !== 1)) {
      errors.push({ field: "structure.header.text", message: "the header placeholder must be {{1}}" });
    }
  }
  const body = s.body.text;
  if (body.length < 1 || textLength(body) > LIMITS.body) {
    errors.push({ field: "structure.body.text", message: `size must be between 1 and ${LIMITS.body}` });
  }
  const numbers = [...new Set(placeholders(body))].sort((a, b) => a - b);
  if (numbers.some((n, i) => n !== i + 1)) {
    errors.push({
      field: "structure.body.text",
      message: "placeholders must be numbered {{1}}, {{2}}, … without gaps",
    });
  }
  if (s.footer) {
    if (textLength(s.footer.text) > LIMITS.footer) {
      errors.push({ field: "structure.footer.text", message: `size must be between 0 and ${LIMITS.footer}` });
    }
    if (placeholders(s.footer.text).length > 0) {
      errors.push({ field: "structure.footer.text", message: "a footer may not have placeholders" });
    }
  }
  errors.push(...checkButtons(s.buttons));
  return errors;
}

function checkButtons(buttons: readonly TemplateButton[], where = "structure.buttons"): FieldError[] {
  const errors: FieldError[] = [];
  if (buttons.length > LIMITS.buttons) {
    errors.push({ field: where, message: `at most ${LIMITS.buttons} buttons` });
  }
  const count = (t: string) => buttons.filter((b) => b.type === t).length;
  if (count("URL") > 2) errors.push({ field: where, message: "at most 2 URL buttons" });
  if (count("PHONE_NUMBER") > 1) errors.push({ field: where, message: "at most 1 PHONE_NUMBER button" });
  if (count("COPY_CODE") > 1) errors.push({ field: where, message: "at most 1 COPY_CODE button" });
  if (count("VOICE_CALL") > 1) errors.push({ field: where, message: "at most 1 VOICE_CALL button" });
  const sole = buttons.find((b) => SOLE_BUTTONS.includes(b.type));
  if (sole && buttons.length > 1) {
    errors.push({ field: where, message: `a ${sole.type} button must be the only button` });
  }
  // Quick replies must stand together, either before or after the call-to-action buttons.
  const kinds = buttons.map((b) => (b.type === "QUICK_REPLY" ? "Q" : "C")).join("");
  if (/Q+C+Q+|C+Q+C+/.test(kinds)) {
    errors.push({ field: where, message: "quick reply buttons must be grouped together" });
  }
  buttons.forEach((b, i) => {
    const at = `${where}[${i}]`;
    if (b.type === "FLOW" && !/^\d{1,20}$/.test(b.flowId)) {
      errors.push({ field: `${at}.flowId`, message: "must be a flow id (digits)" });
    }
    if (b.type !== "OTP" && (b.text.length < 1 || textLength(b.text) > LIMITS.buttonText)) {
      errors.push({ field: `${at}.text`, message: `size must be between 1 and ${LIMITS.buttonText}` });
    }
    if (b.type === "URL") {
      if (!isHttpUrl(b.url)) errors.push({ field: `${at}.url`, message: "is not a valid url" });
      const ph = placeholders(b.url);
      if (ph.length > 1 || (ph.length === 1 && !/\{\{\s*1\s*\}\}$/.test(b.url))) {
        errors.push({ field: `${at}.url`, message: "a dynamic URL may only end with {{1}}" });
      }
      if (ph.length === 1 && !b.example) {
        errors.push({ field: `${at}.example`, message: "a dynamic URL needs an example" });
      }
    }
    if (
      b.type === "VOICE_CALL" &&
      b.callValidityPeriod !== undefined &&
      (b.callValidityPeriod < 1440 || b.callValidityPeriod > 43200)
    ) {
      errors.push({
        field: `${at}.callValidityPeriod`,
        message: "must be between 1440 (1 day) and 43200 (30 days) minutes",
      });
    }
    if (b.type === "COPY_CODE" && (b.example.length < 1 || textLength(b.example) > 15)) {
      errors.push({ field: `${at}.example`, message: "size must be between 1 and 15" });
    }
  });
  return errors;
}

const CAROUSEL = { cards: 10, cardBody: 160, cardButtons: 2 } as const;
const CARD_BUTTONS: readonly string[] = ["QUICK_REPLY", "URL", "PHONE_NUMBER"];

/**
 * A carousel (marketing only) replaces the template's header, footer and buttons with 1–10 cards
 * that all look alike: the same media format, a body on all or none, the same buttons in order.
 */
function checkCarousel(def: TemplateDefinition): FieldError[] {
  const s = def.structure;
  if (!s.carousel) return [];
  const errors: FieldError[] = [];
  const at = "structure.carousel";
  if (def.category !== "MARKETING")
    errors.push({ field: at, message: "only MARKETING templates can carry a carousel" });
  if (s.header)
    errors.push({
      field: "structure.header",
      message: "a carousel template has no header of its own: each card has one",
    });
  if (s.footer)
    errors.push({ field: "structure.footer", message: "a carousel template cannot have a footer" });
  if (s.buttons.length > 0)
    errors.push({
      field: "structure.buttons",
      message: "a carousel template has no buttons of its own: each card has them",
    });
  const cards = s.carousel.cards;
  if (cards.length < 1 || cards.length > CAROUSEL.cards) {
    errors.push({ field: `${at}.cards`, message: `size must be between 1 and ${CAROUSEL.cards}` });
  }
  const first = cards[0];
  cards.forEach((card, i) => {
    errors.push(...checkCard(card, `${at}.cards[${i}]`, i > 0 ? first : undefined));
  });
  return errors;
}

function checkCard(card: CarouselCard, at: string, first: CarouselCard | undefined): FieldError[] {
  const errors: FieldError[] = [];
  const format = card.header?.format;
  const firstFormat = first?.header?.format;
  if (format !== "IMAGE" && format !== "VIDEO") {
    errors.push({ field: `${at}.header`, message: "a card needs an IMAGE or VIDEO header" });
  } else if (
    firstFormat !== undefined &&
    format !== firstFormat &&
    (firstFormat === "IMAGE" || firstFormat === "VIDEO")
  ) {
    errors.push({
      field: `${at}.header`,
      message: `must be ${firstFormat} like the first card's: every card has the same header format`,
    });
  }
  if (card.body) {
    if (card.body.text.trim().length < 1 || textLength(card.body.text) > CAROUSEL.cardBody) {
      errors.push({ field: `${at}.body.text`, message: `size must be between 1 and ${CAROUSEL.cardBody}` });
    }
    const numbers = [...new Set(placeholders(card.body.text))].sort((a, b) => a - b);
    if (numbers.some((n, i) => n !== i + 1)) {
      errors.push({
        field: `${at}.body.text`,
        message: "placeholders must be numbered {{1}}, {{2}}, … without gaps",
      });
    }
  }
  if (first && Boolean(card.body) !== Boolean(first.body)) {
    errors.push({ field: `${at}.body`, message: "every card has a body, or none does" });
  }
  if (card.buttons.length < 1 || card.buttons.length > CAROUSEL.cardButtons) {
    errors.push({ field: `${at}.buttons`, message: `size must be between 1 and ${CAROUSEL.cardButtons}` });
  }
  card.buttons.forEach((b, j) => {
    if (!CARD_BUTTONS.includes(b.type))
      errors.push({
        field: `${at}.buttons[${j}].type`,
        message: "a card's buttons are QUICK_REPLY, URL or PHONE_NUMBER",
      });
  });
  errors.push(...checkButtons(card.buttons, `${at}.buttons`));
  const kinds = (c: CarouselCard) => c.buttons.map((b) => b.type).join(", ");
  if (first && kinds(card) !== kinds(first)) {
    errors.push({
      field: `${at}.buttons`,
      message: `must be [${kinds(first)}] like the first card's: every card has the same buttons in the same order`,
    });
  }
  return errors;
}
