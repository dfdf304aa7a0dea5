/** Meta's `interactive` object → the core's interactive content. Translation only. */
import type { InteractiveContent, InteractiveHeader } from "../../core/interactive-content.ts";
import type { MessageContent } from "../../core/message.ts";
import type { Interactive } from "../../meta-graph/message-schemas.ts";
import { orderActionOf, orderStatusOf } from "./order-to-core.ts";
import { fail, linkOf, missing, type Translated, type UploadedLinks } from "./translated.ts";
import { WA } from "../../core/whatsapp-errors.ts";

function headerOf(h: Interactive["header"], uploaded: UploadedLinks): Translated<InteractiveHeader | undefined> {
  if (!h) return { ok: true, value: undefined };
  if (h.type === "text") return h.text === undefined ? missing("interactive.header.text") : { ok: true, value: { type: "TEXT", text: h.text } };
  const media = h[h.type];
  const link = media && linkOf(media, uploaded);
  if (!link) return missing(`interactive.header.${h.type}.link`);
  if (h.type === "document") {
    return { ok: true, value: { type: "DOCUMENT", mediaUrl: link, ...(media?.filename ? { filename: media.filename } : {}) } };
  }
  return { ok: true, value: { type: h.type === "image" ? "IMAGE" : "VIDEO", mediaUrl: link } };
}

export function interactiveOf(i: Interactive, uploaded: UploadedLinks, now: number): Translated<MessageContent> {
  const header = headerOf(i.header, uploaded);
  if (!header.ok) return header;
  const h = header.value;
  const body = i.body?.text;
  const footer = i.footer ? { footer: i.footer.text } : {};
  const textHeader = h?.type === "TEXT" ? { header: h } : {};
  const p: Record<string, unknown> & NonNullable<Interactive["action"]["parameters"]> = i.action.parameters ?? {};
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
          rows: (s.rows ?? []).map((r) => ({ id: r.id, title: r.title, ...(r.description !== undefined ? { description: r.description } : {}) })),
        })),
      }));
    case "cta_url": {
      const displayText = str(p.display_text);
      const url = str(p.url);
      if (displayText === undefined) return missing("interactive.action.parameters.display_text");
      if (url === undefined) return missing("interactive.action.parameters.url");
      return needBody((text) => ({ type: "interactive_url_button", body: text, ...(h ? { header: h } : {}), ...footer, displayText, url }));
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
          ? fail("interactive.action.parameters.flow_name", "flows by name are not built: send flow_id", WA.parameterValueInvalid.code)
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
    case "order_details": {
      if (h && h.type !== "IMAGE") return fail("interactive.header.type", "an order_details header must be an image");
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
      return { ok: true, value: { type: "interactive_order_status", ...(body !== undefined ? { body } : {}), ...footer, ...status.value } };
    }
    default:
      return fail("interactive.type", `interactive ${i.type} messages are not built yet`, WA.unsupportedMessageType.code);
  }
}
