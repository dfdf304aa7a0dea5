/** Meta's `interactive` object → the core's interactive content. Translation only. */
import type {
  AddressValues,
  InteractiveContent,
  InteractiveHeader,
  SavedAddress,
} from "../../core/interactive-content.ts";
import type { MessageContent } from "../../core/message.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import type { Interactive } from "../../meta-graph/message-schemas.ts";
import { orderActionOf, orderStatusOf } from "./order-to-core.ts";
import { fail, linkOf, missing, type Translated, type UploadedLinks } from "./translated.ts";

function headerOf(
  h: Interactive["header"],
  uploaded: UploadedLinks,
): Translated<InteractiveHeader | undefined> {
  if (!h) return { ok: true, value: undefined };
  if (h.type === "text")
    return h.text === undefined
      ? missing("interactive.header.text")
      : { ok: true, value: { type: "TEXT", text: h.text } };
  const media = h[h.type];
  const link = media && linkOf(media, uploaded);
  if (!link) return missing(`interactive.header.${h.type}.link`);
  if (h.type === "document") {
    return {
      ok: true,
      value: { type: "DOCUMENT", mediaUrl: link, ...(media?.filename ? { filename: media.filename } : {}) },
    };
  }
  return { ok: true, value: { type: h.type === "image" ? "IMAGE" : "VIDEO", mediaUrl: link } };
}

export function interactiveOf(
  i: Interactive,
  uploaded: UploadedLinks,
  now: number,
): Translated<MessageContent> {
  const header = headerOf(i.header, uploaded);
  if (!header.ok) return header;
  const h = header.value;
  const body = i.body?.text;
  const footer = i.footer ? { footer: i.footer.text } : {};
  const textHeader = h?.type === "TEXT" ? { header: h } : {};
  const p: Record<string, unknown> & NonNullable<Interactive["action"]["parameters"]> =
    i.action.parameters ?? {};
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
          rows: (s.rows ?? []).map((r) => ({
            id: r.id,
            title: r.title,
            ...(r.description !== undefined ? { description: r.description } : {}),
          })),
        })),
      }));
    case "cta_url": {
      const displayText = str(p.display_text);
      const url = str(p.url);
      if (displayText === undefined) return missing("interactive.action.parameters.display_text");
      if (url === undefined) return missing("interactive.action.parameters.url");
      return needBody((text) => ({
        type: "interactive_url_button",
        body: text,
        ...(h ? { header: h } : {}),
        ...footer,
        displayText,
        url,
      }));
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
          ? fail(
              "interactive.action.parameters.flow_name",
              "flows by name are not built: send flow_id",
              WA.parameterValueInvalid.code,
            )
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
    case "address_message": {
      if (i.action.name === undefined) return missing("interactive.action.name");
      if (i.action.name !== "address_message")
        return fail("interactive.action.name", "must be address_message");
      if (h && h.type !== "TEXT")
        return fail("interactive.header.type", "an address message's header must be text");
      const address = addressParametersOf(p);
      if (!address.ok) return address;
      return needBody((text) => ({
        type: "interactive_address",
        body: text,
        ...textHeader,
        ...footer,
        ...address.value,
      }));
    }
    case "order_details": {
      if (h && h.type !== "IMAGE")
        return fail("interactive.header.type", "an order_details header must be an image");
      const action = orderActionOf(p, "interactive.action.parameters", now);
      if (!action.ok) return action;
      return needBody((text) => ({
        type: "interactive_order_details",
        body: text,
        ...(h ? { header: { type: "IMAGE", mediaUrl: (h as { mediaUrl: string }).mediaUrl } } : {}),
        ...footer,
        ...action.value,
      }));
    }
    case "order_status": {
      const status = orderStatusOf(p, "interactive.action.parameters");
      if (!status.ok) return status;
      return {
        ok: true,
        value: {
          type: "interactive_order_status",
          ...(body !== undefined ? { body } : {}),
          ...footer,
          ...status.value,
        },
      };
    }
    default:
      return fail(
        "interactive.type",
        `interactive ${i.type} messages are not built yet`,
        WA.unsupportedMessageType.code,
      );
  }
}

const PARAMS = "interactive.action.parameters";

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** An object of strings (an address's fields, or validation errors by field), else the first wrong field. */
function stringsOf(v: unknown, at: string): Translated<AddressValues> {
  if (!isRecord(v)) return fail(at, "must be an object of strings by field name");
  for (const [k, x] of Object.entries(v))
    if (typeof x !== "string") return fail(`${at}.${k}`, "must be a string");
  return { ok: true, value: v as AddressValues };
}

type AddressParameters = {
  country: string;
  values?: AddressValues;
  savedAddresses?: SavedAddress[];
  validationErrors?: AddressValues;
};

/** An address message's `country`, `values`, `saved_addresses` and `validation_errors`; the rules judge them. */
function addressParametersOf(p: Record<string, unknown>): Translated<AddressParameters> {
  if (p.country === undefined) return missing(`${PARAMS}.country`);
  if (typeof p.country !== "string") return fail(`${PARAMS}.country`, "must be a string");
  const out: AddressParameters = { country: p.country };
  if (p.values !== undefined) {
    const values = stringsOf(p.values, `${PARAMS}.values`);
    if (!values.ok) return values;
    out.values = values.value;
  }
  if (p.validation_errors !== undefined) {
    const errors = stringsOf(p.validation_errors, `${PARAMS}.validation_errors`);
    if (!errors.ok) return errors;
    out.validationErrors = errors.value;
  }
  if (p.saved_addresses !== undefined) {
    if (!Array.isArray(p.saved_addresses)) return fail(`${PARAMS}.saved_addresses`, "must be an array");
    const saved: SavedAddress[] = [];
    for (const [n, a] of (p.saved_addresses as unknown[]).entries()) {
      const at = `${PARAMS}.saved_addresses[${n}]`;
      if (!isRecord(a)) return fail(at, "must be an object with an id and a value");
      if (a.id === undefined) return missing(`${at}.id`);
      if (typeof a.id !== "string") return fail(`${at}.id`, "must be a string");
      if (a.value === undefined) return missing(`${at}.value`);
      const value = stringsOf(a.value, `${at}.value`);
      if (!value.ok) return value;
      saved.push({ id: a.id, value: value.value });
    }
    out.savedAddresses = saved;
  }
  return { ok: true, value: out };
}
