/**
 * Meta Cloud API → core: maps a `/messages` body to the core's request (interactive and template
 * objects in their own files; the core's field paths back to Meta's in field-names.ts). Only
 * translation; the rules (limits, template match) live in src/core.
 */
import type { MessageContent, OutboundRequest } from "../../core/message.ts";
import type { Recipient } from "../../core/phone-number.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import type { ContactObject, MediaObject, MessageRequest } from "../../meta-graph/message-schemas.ts";
import { interactiveOf } from "./interactive-to-core.ts";
import { templateOf } from "./template-to-core.ts";
import { fail, linkOf, missing, type Translated, type UploadedLinks } from "./translated.ts";

export { metaField } from "./field-names.ts";
export type { Translated, UploadedLinks } from "./translated.ts";

/** The recipient as Meta normalises it: digits only; see phone-number.ts for the country code rule. */
export function messageToCore(
  body: MessageRequest,
  from: string,
  to: Recipient,
  messageId: string,
  uploaded: UploadedLinks,
  now: number,
): Translated<OutboundRequest> {
  const content = contentOf(body, uploaded, now);
  if (!content.ok) return content;
  return {
    ok: true,
    value: {
      from,
      to,
      messageId,
      content: content.value,
      ...(body.biz_opaque_callback_data !== undefined ? { callbackData: body.biz_opaque_callback_data } : {}),
      ...(body.context ? { replyTo: body.context.message_id } : {}),
    },
  };
}

function contentOf(body: MessageRequest, uploaded: UploadedLinks, now: number): Translated<MessageContent> {
  const type = body.type ?? "text";
  switch (type) {
    case "text":
      if (!body.text) return missing("text");
      return {
        ok: true,
        value: { type: "text", text: body.text.body, previewUrl: body.text.preview_url ?? false },
      };
    case "image":
    case "audio":
    case "video":
    case "document":
    case "sticker":
      return mediaOf(type, body[type], uploaded);
    case "location": {
      const l = body.location;
      if (!l) return missing("location");
      return {
        ok: true,
        value: {
          type: "location",
          latitude: Number(l.latitude),
          longitude: Number(l.longitude),
          ...(l.name !== undefined ? { name: l.name } : {}),
          ...(l.address !== undefined ? { address: l.address } : {}),
        },
      };
    }
    case "contacts":
      if (!body.contacts) return missing("contacts");
      return { ok: true, value: { type: "contact", contacts: body.contacts.map(contactOf) } };
    case "reaction":
      if (!body.reaction) return missing("reaction");
      return {
        ok: true,
        value: { type: "reaction", messageId: body.reaction.message_id, emoji: body.reaction.emoji ?? "" },
      };
    case "interactive":
      if (!body.interactive) return missing("interactive");
      return interactiveOf(body.interactive, uploaded, now);
    case "template":
      if (!body.template) return missing("template");
      return templateOf(body.template, uploaded, now);
    default:
      return fail("type", `message type ${type} is not supported`, WA.unsupportedMessageType.code);
  }
}

/** Every uploaded-media id a send refers to (message media, interactive and template headers). */
export function mediaIdsOf(body: MessageRequest): string[] {
  const ids: (string | undefined)[] = [];
  for (const t of ["image", "audio", "video", "document", "sticker"] as const) ids.push(body[t]?.id);
  const h = body.interactive?.header;
  if (h) ids.push(h.image?.id, h.video?.id, h.document?.id);
  const components = (body.template?.components ?? []).flatMap((c) => [
    c,
    ...(c.cards ?? []).flatMap((card) => card.components),
  ]);
  for (const c of components) {
    for (const p of c.parameters ?? []) ids.push(p.image?.id, p.video?.id, p.document?.id);
  }
  return ids.filter((id): id is string => id !== undefined);
}

function mediaOf(
  type: "image" | "audio" | "video" | "document" | "sticker",
  m: MediaObject | undefined,
  uploaded: UploadedLinks,
): Translated<MessageContent> {
  if (!m) return missing(type);
  const link = linkOf(m, uploaded);
  if (link === undefined)
    return m.id !== undefined ? fail(`${type}.id`, `no uploaded media ${m.id}`) : missing(`${type}.link`);
  return {
    ok: true,
    value: {
      type,
      mediaUrl: link,
      ...(m.link === undefined && m.id !== undefined ? { mediaId: m.id } : {}),
      ...(m.caption !== undefined ? { caption: m.caption } : {}),
      ...(m.filename !== undefined ? { filename: m.filename } : {}),
      ...(m.voice !== undefined ? { voice: m.voice } : {}),
    },
  };
}

function contactOf(c: ContactObject) {
  const n = c.name;
  const kv = (o: Record<string, string> | undefined) => o ?? {};
  return {
    name: {
      formattedName: n.formatted_name,
      ...(n.first_name !== undefined ? { firstName: n.first_name } : {}),
      ...(n.last_name !== undefined ? { lastName: n.last_name } : {}),
      ...(n.middle_name !== undefined ? { middleName: n.middle_name } : {}),
      ...(n.suffix !== undefined ? { nameSuffix: n.suffix } : {}),
      ...(n.prefix !== undefined ? { namePrefix: n.prefix } : {}),
    },
    ...(c.addresses ? { addresses: c.addresses } : {}),
    ...(c.birthday !== undefined ? { birthday: c.birthday } : {}),
    ...(c.emails ? { emails: c.emails.map((e) => ({ ...kv(e) })) } : {}),
    ...(c.org ? { org: c.org } : {}),
    ...(c.phones
      ? {
          phones: c.phones.map((p) => ({
            phone: p.phone,
            type: p.type,
            ...(p.wa_id ? { waId: p.wa_id } : {}),
          })),
        }
      : {}),
    ...(c.urls ? { urls: c.urls } : {}),
  };
}
