/**
 * POST /whatsapp/1/message/interactive/{buttons,list,location-request,url-button,product,multi-product,flow,
 * order-details,order-status} (api-reference A.5).
 */
import type { FastifyInstance } from "fastify";
import type { TSchema } from "typebox";
import { acceptMessages } from "../../app/accept-messages.ts";
import type { AppContext } from "../../app/context.ts";
import type { FieldError } from "../../core/field-error.ts";
import type { InteractiveContent, InteractiveHeader } from "../../core/interactive-content.ts";
import { invalid, type Translated as KitTranslated } from "../kit/translated.ts";
import { sendUntranslated } from "./infobip-errors.ts";
import { orderDetailsToCore, orderStatusToCore } from "./order-to-core.ts";
import { SingleMessageInfo } from "./schemas/common.ts";
import {
  ButtonsBody,
  FlowBody,
  ListBody,
  LocationRequestBody,
  MultiProductBody,
  ProductBody,
  UrlButtonBody,
} from "./schemas/interactive-schemas.ts";
import { OrderDetailsBody, OrderStatusBody } from "./schemas/order-schemas.ts";
import { type AcceptedInfo, answer, errors, info } from "./send-routes.ts";
import { envelopeOf } from "./to-core.ts";

type Translated = KitTranslated<InteractiveContent>;

type HeaderJson = ButtonsBody["content"]["header"];

/** A text or media header; undefined when absent; the field error when incomplete. */
function headerToCore(h: HeaderJson): InteractiveHeader | FieldError | undefined {
  if (!h) return undefined;
  if (h.type === "TEXT") {
    return h.text === undefined ? { field: "content.header.text", message: "must not be null" } : { type: "TEXT", text: h.text };
  }
  if (h.mediaUrl === undefined) return { field: "content.header.mediaUrl", message: "must not be null" };
  return h.type === "DOCUMENT"
    ? { type: "DOCUMENT", mediaUrl: h.mediaUrl, ...(h.filename ? { filename: h.filename } : {}) }
    : { type: h.type, mediaUrl: h.mediaUrl };
}

const footerOf = (f: { text: string } | undefined) => (f ? { footer: f.text } : {});

function buttonsToCore({ content: c }: ButtonsBody): Translated {
  const header = headerToCore(c.header);
  if (header && "field" in header) return invalid(header);
  return {
    ok: true,
    value: {
      type: "interactive_buttons",
      body: c.body.text,
      ...(header ? { header } : {}),
      ...footerOf(c.footer),
      buttons: c.action.buttons.map((b) => ({ id: b.id, title: b.title })),
    },
  };
}

function urlButtonToCore({ content: c }: UrlButtonBody): Translated {
  const header = headerToCore(c.header);
  if (header && "field" in header) return invalid(header);
  return {
    ok: true,
    value: {
      type: "interactive_url_button",
      body: c.body.text,
      ...(header ? { header } : {}),
      ...footerOf(c.footer),
      displayText: c.action.displayText,
      url: c.action.url,
    },
  };
}

function locationRequestToCore({ content: c }: LocationRequestBody): Translated {
  return { ok: true, value: { type: "interactive_location_request", body: c.body.text } };
}

function productToCore({ content: c }: ProductBody): Translated {
  return {
    ok: true,
    value: {
      type: "interactive_product",
      ...(c.body ? { body: c.body.text } : {}),
      ...footerOf(c.footer),
      catalogId: c.action.catalogId,
      productRetailerId: c.action.productRetailerId,
    },
  };
}

function multiProductToCore({ content: c }: MultiProductBody): Translated {
  return {
    ok: true,
    value: {
      type: "interactive_multi_product",
      header: { type: "TEXT", text: c.header.text },
      body: c.body.text,
      ...footerOf(c.footer),
      catalogId: c.action.catalogId,
      sections: c.action.sections.map((s) => ({
        ...(s.title !== undefined ? { title: s.title } : {}),
        productRetailerIds: s.productRetailerIds,
      })),
    },
  };
}

function flowToCore({ content: c }: FlowBody): Translated {
  const a = c.action;
  return {
    ok: true,
    value: {
      type: "interactive_flow",
      body: c.body.text,
      ...(c.header ? { header: { type: "TEXT", text: c.header.text } } : {}),
      ...footerOf(c.footer),
      flowId: a.flowId,
      flowToken: a.flowToken,
      callToActionButton: a.callToActionButton,
      mode: a.mode ?? "PUBLISHED",
      flowAction: a.flowAction ?? "NAVIGATE",
      ...(a.flowActionPayload ? { flowActionPayload: a.flowActionPayload } : {}),
      ...(a.flowMessageVersion !== undefined ? { flowMessageVersion: a.flowMessageVersion } : {}),
    },
  };
}

function listToCore({ content: c }: ListBody): Translated {
  return {
    ok: true,
    value: {
      type: "interactive_list",
      body: c.body.text,
      ...(c.header ? { header: { type: "TEXT", text: c.header.text } } : {}),
      ...footerOf(c.footer),
      buttonTitle: c.action.title,
      sections: c.action.sections.map((s) => ({
        ...(s.title !== undefined ? { title: s.title } : {}),
        rows: s.rows.map((r) => ({ id: r.id, title: r.title, ...(r.description !== undefined ? { description: r.description } : {}) })),
      })),
    },
  };
}

export function interactiveRoutes(app: FastifyInstance, ctx: AppContext): void {
  const routes: readonly { kind: string; schema: TSchema; translate: (body: never) => Translated; summary: string }[] = [
    { kind: "buttons", schema: ButtonsBody, translate: buttonsToCore, summary: "Send up to three reply buttons" },
    { kind: "list", schema: ListBody, translate: listToCore, summary: "Send a list of options in sections" },
    { kind: "location-request", schema: LocationRequestBody, translate: locationRequestToCore, summary: "Ask for the user's location" },
    { kind: "url-button", schema: UrlButtonBody, translate: urlButtonToCore, summary: "Send a button that opens a URL" },
    { kind: "product", schema: ProductBody, translate: productToCore, summary: "Send one catalog product" },
    { kind: "multi-product", schema: MultiProductBody, translate: multiProductToCore, summary: "Send catalog products in sections" },
    { kind: "flow", schema: FlowBody, translate: flowToCore, summary: "Send a WhatsApp Flow" },
    { kind: "order-details", schema: OrderDetailsBody, translate: orderDetailsToCore, summary: "Send an order the user can pay (WhatsApp Payments)" },
    { kind: "order-status", schema: OrderStatusBody, translate: orderStatusToCore, summary: "Send an update of an order's status" },
  ];
  for (const r of routes) {
    app.post(
      `/whatsapp/1/message/interactive/${r.kind}`,
      { schema: { tags: ["Infobip: send"], summary: `${r.summary} (inside the 24-hour window)`, body: r.schema, response: { 200: SingleMessageInfo, ...errors } } },
      async (req, reply) => {
        const body = req.body as ButtonsBody;
        const translated = r.translate(body as never);
        if (!translated.ok) return sendUntranslated(reply, translated);
        const result = await acceptMessages(ctx, req.account, "infobip", [{ ...envelopeOf(body), content: translated.value }]);
        return answer(reply, result, (ok) => info(ok.messages[0] as AcceptedInfo), (field) => field);
      },
    );
  }
}
