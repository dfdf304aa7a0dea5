/**
 * POST /whatsapp/1/message/interactive/{buttons,list,location-request,url-button,product,multi-product,flow,
 * order-details,order-status} (api-reference A.5).
 */

import type { TSchema } from "typebox";
import { acceptMessages } from "../../app/accept-messages.ts";
import type { AppContext } from "../../app/context.ts";
import type { FieldError } from "../../core/field-error.ts";
import type { InteractiveContent, InteractiveHeader } from "../../core/interactive-content.ts";
import type { OutboundRequest } from "../../core/message.ts";
import type { FaceApp, SchemaBody } from "../kit/dialect.ts";
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
    return h.text === undefined
      ? { field: "content.header.text", message: "must not be null" }
      : { type: "TEXT", text: h.text };
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
        rows: s.rows.map((r) => ({
          id: r.id,
          title: r.title,
          ...(r.description !== undefined ? { description: r.description } : {}),
        })),
      })),
    },
  };
}

/** An interactive send route: its schema, and how a body it admits becomes the core's content. */
function interactive<S extends TSchema>(
  kind: string,
  schema: S,
  summary: string,
  request: (body: SchemaBody<S>) => KitTranslated<OutboundRequest>,
) {
  return (app: FaceApp, ctx: AppContext) =>
    app.post(
      `/whatsapp/1/message/interactive/${kind}`,
      {
        schema: {
          tags: ["Infobip: send"],
          summary: `${summary} (inside the 24-hour window)`,
          body: schema,
          response: { 200: SingleMessageInfo, ...errors },
        },
      },
      async (req, reply) => {
        const translated = request(req.body);
        if (!translated.ok) return sendUntranslated(reply, translated);
        const result = await acceptMessages(ctx, req.account, "infobip", [translated.value]);
        return answer(
          reply,
          result,
          (ok) => info(ok.messages[0] as AcceptedInfo),
          (field) => field,
        );
      },
    );
}

/** The envelope of the body around its translated content. */
function sendOf<B extends Parameters<typeof envelopeOf>[0]>(toCore: (body: B) => Translated) {
  return (body: B): KitTranslated<OutboundRequest> => {
    const content = toCore(body);
    if (!content.ok) return content;
    const envelope = envelopeOf(body);
    return envelope.ok ? { ok: true, value: { ...envelope.value, content: content.value } } : envelope;
  };
}

const ROUTES = [
  interactive("buttons", ButtonsBody, "Send up to three reply buttons", sendOf(buttonsToCore)),
  interactive("list", ListBody, "Send a list of options in sections", sendOf(listToCore)),
  interactive(
    "location-request",
    LocationRequestBody,
    "Ask for the user's location",
    sendOf(locationRequestToCore),
  ),
  interactive("url-button", UrlButtonBody, "Send a button that opens a URL", sendOf(urlButtonToCore)),
  interactive("product", ProductBody, "Send one catalog product", sendOf(productToCore)),
  interactive(
    "multi-product",
    MultiProductBody,
    "Send catalog products in sections",
    sendOf(multiProductToCore),
  ),
  interactive("flow", FlowBody, "Send a WhatsApp Flow", sendOf(flowToCore)),
  interactive(
    "order-details",
    OrderDetailsBody,
    "Send an order the user can pay (WhatsApp Payments)",
    sendOf(orderDetailsToCore),
  ),
  interactive(
    "order-status",
    OrderStatusBody,
    "Send an update of an order's status",
    sendOf(orderStatusToCore),
  ),
];

export function interactiveRoutes(app: FaceApp, ctx: AppContext): void {
  for (const register of ROUTES) register(app, ctx);
}
