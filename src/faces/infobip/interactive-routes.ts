/** POST /whatsapp/1/message/interactive/{buttons,list} (api-reference A.5). */
import type { FastifyInstance } from "fastify";
import { acceptMessages } from "../../app/accept-messages.ts";
import type { AppContext } from "../../app/context.ts";
import type { FieldError } from "../../core/field-error.ts";
import type { InteractiveContent, InteractiveHeader } from "../../core/interactive-content.ts";
import { groupErrors, sendError } from "./infobip-errors.ts";
import { SingleMessageInfo } from "./schemas/common.ts";
import { ButtonsBody, ListBody } from "./schemas/interactive-schemas.ts";
import { type AcceptedInfo, answer, errors, info } from "./send-routes.ts";
import { envelopeOf } from "./to-core.ts";

type Translated = { ok: true; content: InteractiveContent } | { ok: false; errors: FieldError[] };

function buttonsToCore({ content: c }: ButtonsBody): Translated {
  let header: InteractiveHeader | undefined;
  const h = c.header;
  if (h) {
    if (h.type === "TEXT") {
      if (h.text === undefined) return { ok: false, errors: [{ field: "content.header.text", message: "must not be null" }] };
      header = { type: "TEXT", text: h.text };
    } else {
      if (h.mediaUrl === undefined) return { ok: false, errors: [{ field: "content.header.mediaUrl", message: "must not be null" }] };
      header = h.type === "DOCUMENT"
        ? { type: "DOCUMENT", mediaUrl: h.mediaUrl, ...(h.filename ? { filename: h.filename } : {}) }
        : { type: h.type, mediaUrl: h.mediaUrl };
    }
  }
  return {
    ok: true,
    content: {
      type: "interactive_buttons",
      body: c.body.text,
      ...(header ? { header } : {}),
      ...(c.footer ? { footer: c.footer.text } : {}),
      buttons: c.action.buttons.map((b) => ({ id: b.id, title: b.title })),
    },
  };
}

function listToCore({ content: c }: ListBody): Translated {
  return {
    ok: true,
    content: {
      type: "interactive_list",
      body: c.body.text,
      ...(c.header ? { header: { type: "TEXT", text: c.header.text } } : {}),
      ...(c.footer ? { footer: c.footer.text } : {}),
      buttonTitle: c.action.title,
      sections: c.action.sections.map((s) => ({
        ...(s.title !== undefined ? { title: s.title } : {}),
        rows: s.rows.map((r) => ({ id: r.id, title: r.title, ...(r.description !== undefined ? { description: r.description } : {}) })),
      })),
    },
  };
}

export function interactiveRoutes(app: FastifyInstance, ctx: AppContext): void {
  const routes = [
    { kind: "buttons", schema: ButtonsBody, translate: buttonsToCore, summary: "Send up to three reply buttons" },
    { kind: "list", schema: ListBody, translate: listToCore, summary: "Send a list of options in sections" },
  ] as const;
  for (const r of routes) {
    app.post(
      `/whatsapp/1/message/interactive/${r.kind}`,
      { schema: { tags: ["Infobip: send"], summary: `${r.summary} (inside the 24-hour window)`, body: r.schema, response: { 200: SingleMessageInfo, ...errors } } },
      async (req, reply) => {
        const body = req.body as ButtonsBody & ListBody;
        const translated = r.translate(body);
        if (!translated.ok) return sendError(reply, 400, groupErrors(translated.errors));
        const result = await acceptMessages(ctx, req.account, "infobip", [{ ...envelopeOf(body), content: translated.content }]);
        return answer(reply, result, (ok) => info(ok.messages[0] as AcceptedInfo), (field) => field);
      },
    );
  }
}
