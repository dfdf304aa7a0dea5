/** Meta's `template` object (components, parameters, carousel cards) → the core's template send. */
import type {
  MessageContent,
  TemplateButtonValue,
  TemplateCardValue,
  TemplateHeaderValue,
} from "../../core/message.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import type { CardValues, Parameter, TemplateObject } from "../../meta-graph/message-schemas.ts";
import { orderActionOf } from "./order-to-core.ts";
import { fail, linkOf, missing, type Translated, type UploadedLinks } from "./translated.ts";

type TemplateComponent = CardValues["components"][number] & { cards?: readonly CardValues[] };

export function templateOf(
  t: TemplateObject,
  uploaded: UploadedLinks,
  now: number,
): Translated<MessageContent> {
  const values = componentValues(t.components ?? [], "template.components", uploaded, true, now);
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
  now: number,
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
      const value = buttonValue(c.sub_type?.toLowerCase() ?? "", params, at, now);
      if (!value.ok) return value;
      buttons.push({ index, value: value.value });
    } else if (kind === "limited_time_offer" && topLevel) {
      const ms = params[0]?.limited_time_offer?.expiration_time_ms;
      if (ms !== undefined) offerExpiresAt = new Date(ms).toISOString();
    } else if (kind === "carousel" && topLevel) {
      const cards: { index: number; value: TemplateCardValue }[] = [];
      for (const [i, card] of (c.cards ?? []).entries()) {
        const value = componentValues(card.components, `${at}.cards[${i}].components`, uploaded, false, now);
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
      return {
        ok: true,
        value: { type: "DOCUMENT", mediaUrl: link, filename: p.document?.filename ?? "document" },
      };
    }
    case "location":
      if (!p.location) return missing(`${at}.location`);
      return {
        ok: true,
        value: {
          type: "LOCATION",
          latitude: Number(p.location.latitude),
          longitude: Number(p.location.longitude),
        },
      };
    default:
      return fail(
        `${at}.type`,
        `header parameter type ${p.type} is not supported`,
        WA.templateParamFormatMismatch.code,
      );
  }
}

function buttonValue(
  subType: string,
  params: readonly Parameter[],
  at: string,
  now: number,
): Translated<TemplateButtonValue> {
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
          ...(action.thumbnail_product_retailer_id !== undefined
            ? { thumbnailProductRetailerId: action.thumbnail_product_retailer_id }
            : {}),
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
    case "order_details": {
      const order = (p?.action as { order_details?: unknown } | undefined)?.order_details;
      const where = `${at}.parameters[0].action.order_details`;
      if (typeof order !== "object" || order === null || Array.isArray(order)) return missing(where);
      const action = orderActionOf(order as Record<string, unknown>, where, now);
      return action.ok ? { ok: true, value: { type: "ORDER_DETAILS", action: action.value } } : action;
    }
    default:
      return fail(
        `${at}.sub_type`,
        `button sub_type ${subType || "(none)"} is not supported`,
        WA.parameterValueInvalid.code,
      );
  }
}
