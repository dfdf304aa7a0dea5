/**
 * The core's template structure in Meta's components format (api-reference C.4): what the Meta
 * face shows of a template, and what a carrier submits to Meta's Cloud API to register one.
 */
import type { CarouselCard, TemplateButton, TemplateHeader, TemplateStructure } from "../core/template.ts";

/** The core's structure as Meta's components. */
export function structureToComponents(s: TemplateStructure): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  if (s.header) out.push(headerToMeta(s.header));
  if (s.limitedTimeOffer) {
    out.push({
      type: "LIMITED_TIME_OFFER",
      limited_time_offer: { text: s.limitedTimeOffer.text, has_expiration: s.limitedTimeOffer.hasExpiration },
    });
  }
  out.push({
    type: "BODY",
    text: s.body.text,
    ...(s.body.examples ? { example: { body_text: [s.body.examples] } } : {}),
  });
  if (s.footer) out.push({ type: "FOOTER", text: s.footer.text });
  if (s.buttons.length > 0) out.push({ type: "BUTTONS", buttons: s.buttons.map(buttonToMeta) });
  if (s.carousel) out.push({ type: "CAROUSEL", cards: s.carousel.cards.map(cardToMeta) });
  return out;
}

function headerToMeta(h: TemplateHeader): Record<string, unknown> {
  if (h.format === "TEXT")
    return {
      type: "HEADER",
      format: "TEXT",
      text: h.text,
      ...(h.example ? { example: { header_text: [h.example] } } : {}),
    };
  if (h.format === "LOCATION") return { type: "HEADER", format: "LOCATION" };
  return {
    type: "HEADER",
    format: h.format,
    ...(h.example ? { example: { header_handle: [h.example] } } : {}),
  };
}

function cardToMeta(card: CarouselCard): Record<string, unknown> {
  const components: Record<string, unknown>[] = [];
  if (card.header) components.push(headerToMeta(card.header));
  if (card.body)
    components.push({
      type: "BODY",
      text: card.body.text,
      ...(card.body.examples ? { example: { body_text: [card.body.examples] } } : {}),
    });
  if (card.buttons.length > 0) components.push({ type: "BUTTONS", buttons: card.buttons.map(buttonToMeta) });
  return { components };
}

function buttonToMeta(b: TemplateButton): Record<string, unknown> {
  switch (b.type) {
    case "QUICK_REPLY":
      return { type: "QUICK_REPLY", text: b.text };
    case "URL":
      return { type: "URL", text: b.text, url: b.url, ...(b.example ? { example: [b.example] } : {}) };
    case "PHONE_NUMBER":
      return { type: "PHONE_NUMBER", text: b.text, phone_number: b.phoneNumber };
    case "COPY_CODE":
      return { type: "COPY_CODE", text: b.text, example: b.example };
    case "FLOW":
      return {
        type: "FLOW",
        text: b.text,
        flow_id: b.flowId,
        flow_action: b.flowAction.toLowerCase(),
        ...(b.navigateScreen ? { navigate_screen: b.navigateScreen } : {}),
      };
    case "CATALOG":
      return { type: "CATALOG", text: b.text };
    case "MULTI_PRODUCT":
      return { type: "MPM", text: b.text };
    case "OTP":
      return { type: "OTP", otp_type: b.otpType, ...(b.text ? { text: b.text } : {}) };
    case "ORDER_DETAILS":
    case "VOICE_CALL":
      return { type: b.type, text: b.text };
  }
}
