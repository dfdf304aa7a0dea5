/**
 * Sinch message objects → the core's content, and the core's field paths back into Sinch's field
 * names. Translation only: every WhatsApp limit is the core's (content-rules, template send rules).
 */
import type { FieldError } from "../../core/field-error.ts";
import type { ContactCard as CoreCard } from "../../core/free-form-content.ts";
import type { InteractiveHeader } from "../../core/interactive-content.ts";
import type {
  MessageContent,
  TemplateButtonValue,
  TemplateContent,
  TemplateHeaderValue,
} from "../../core/message.ts";
import { invalid, type Translated as KitTranslated, unbuilt } from "../kit/translated.ts";
import type {
  ContactCard,
  InteractiveMessage,
  SinchMessage,
  StickerMessage,
  TemplateMessage,
} from "./schemas/message-schemas.ts";

/** A Sinch message as the core's content, with the way back from the core's field paths to Sinch's. */
export interface SinchTranslation {
  readonly content: MessageContent;
  readonly path: (coreField: string, message: string) => string;
}

type Translated = KitTranslated<SinchTranslation>;

const translation = (content: MessageContent, path: SinchTranslation["path"]): Translated => ({
  ok: true,
  value: { content, path },
});

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, V>>;

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** Core content paths (`mediaUrl`, `contacts[0].name.firstName`) → Sinch's (`url`, `contacts[0].name.first_name`). */
const RENAMES: Record<string, string> = {
  mediaUrl: "url",
  latitude: "lat",
  longitude: "lng",
  nameSuffix: "suffix",
  namePrefix: "prefix",
};

function freeFormPath(prefix: string): (coreField: string) => string {
  return (field) => {
    if (!field.startsWith("content.")) return envelopePath(field);
    const rest = field
      .slice("content.".length)
      .split(".")
      .map((part) => {
        const [name = "", index = ""] = part.split(/(?=\[)/);
        return `${RENAMES[name] ?? snake(name)}${index}`;
      })
      .join(".");
    return `${prefix}.${rest}`;
  };
}

function interactivePath(field: string): string {
  if (!field.startsWith("content.")) return envelopePath(field);
  const rest = field
    .slice("content.".length)
    .replace(/^header\.mediaUrl/, "header.url")
    .replace(/^action\.title/, "action.button");
  return `message.message.${rest}`;
}

/** Fields of the request around the message. */
function envelopePath(field: string): string {
  if (field === "notifyUrl") return "callback";
  return field === "to" ? "to" : `message.${field}`;
}

export function messageToCore(m: SinchMessage): Translated {
  const plain = freeFormPath("message");
  switch (m.type) {
    case "template":
      return templateToCore(m);
    case "text":
      return translation({ type: "text", text: m.text, previewUrl: m.preview_url ?? false }, plain);
    case "image":
    case "video":
      return translation({ type: m.type, mediaUrl: m.url, ...optional("caption", m.caption) }, plain);
    case "document":
      return translation(
        {
          type: "document",
          mediaUrl: m.url,
          ...optional("caption", m.caption),
          ...optional("filename", m.filename),
        },
        plain,
      );
    case "audio":
      return translation({ type: "audio", mediaUrl: m.url }, plain);
    case "location":
      return translation(
        {
          type: "location",
          latitude: m.lat,
          longitude: m.lng,
          ...optional("name", m.name),
          ...optional("address", m.address),
        },
        plain,
      );
    case "contacts":
      return translation({ type: "contact", contacts: m.contacts.map(cardToCore) }, plain);
    case "sticker":
      return stickerToCore(m);
    case "interactive":
      return interactiveToCore(m);
  }
}

function stickerToCore(m: StickerMessage): Translated {
  if (m.url !== undefined && m.id !== undefined) {
    return invalid({ field: "message.id", message: "must not be used together with url" });
  }
  if (m.id !== undefined) return unbuilt("stickerpack stickers (sticker by id); send the sticker by url");
  if (m.url === undefined) return invalid({ field: "message.url", message: "is required (or id)" });
  return translation({ type: "sticker", mediaUrl: m.url }, freeFormPath("message"));
}

function cardToCore(c: ContactCard): CoreCard {
  const n = c.name;
  return {
    name: {
      firstName: n.first_name,
      formattedName: n.formatted_name,
      ...optional("lastName", n.last_name),
      ...optional("middleName", n.middle_name),
      ...optional("nameSuffix", n.suffix),
      ...optional("namePrefix", n.prefix),
    },
    ...optional(
      "addresses",
      c.addresses?.map(
        ({ country_code, ...a }) =>
          ({ ...a, ...optional("countryCode", country_code) }) as Record<string, string>,
      ),
    ),
    ...optional("birthday", c.birthday),
    ...optional("emails", c.emails),
    ...optional("org", c.org),
    ...optional(
      "phones",
      c.phones?.map(({ wa_id, ...p }) => ({ ...p, ...optional("waId", wa_id) })),
    ),
    ...optional("urls", c.urls),
  };
}

function interactiveToCore({ message: m }: InteractiveMessage): Translated {
  const footer = optional("footer", m.footer?.text);
  if (m.type === "list") {
    return translation(
      {
        type: "interactive_list",
        body: m.body.text,
        ...(m.header ? { header: { type: "TEXT", text: m.header.text } } : {}),
        ...footer,
        buttonTitle: m.action.button,
        sections: m.action.sections.map((s) => ({
          ...optional("title", s.title),
          rows: s.rows.map((r) => ({ id: r.id, title: r.title, ...optional("description", r.description) })),
        })),
      },
      interactivePath,
    );
  }
  let header: InteractiveHeader | undefined;
  const h = m.header;
  if (h?.type === "text") {
    if (h.text === undefined)
      return invalid({ field: "message.message.header.text", message: "is required" });
    header = { type: "TEXT", text: h.text };
  } else if (h) {
    if (h.url === undefined) return invalid({ field: "message.message.header.url", message: "is required" });
    header =
      h.type === "document"
        ? { type: "DOCUMENT", mediaUrl: h.url, ...optional("filename", h.filename) }
        : { type: h.type === "image" ? "IMAGE" : "VIDEO", mediaUrl: h.url };
  }
  return translation(
    {
      type: "interactive_buttons",
      body: m.body.text,
      ...(header ? { header } : {}),
      ...footer,
      buttons: m.action.buttons.map((b) => ({ id: b.id, title: b.title })),
    },
    interactivePath,
  );
}

function templateToCore(m: TemplateMessage): Translated {
  const errors: FieldError[] = [];
  const params = m.header_params ?? [];
  const media = m.media && m.media.type !== "text" ? m.media : undefined;
  let header: TemplateHeaderValue | undefined;
  if (media && params.length > 0) {
    errors.push({
      field: "message.header_params",
      message: `must be empty when the header is media (${media.type})`,
    });
  } else if (params.length > 1) {
    errors.push({ field: "message.header_params", message: "a text header takes one parameter" });
  } else if (params.length === 1) {
    header = { type: "TEXT", placeholder: params[0] as string };
  } else if (media) {
    if (media.url === undefined) errors.push({ field: "message.media.url", message: "is required" });
    else if (media.type === "document")
      header = { type: "DOCUMENT", mediaUrl: media.url, filename: media.filename ?? "Filename" };
    else header = { type: media.type === "image" ? "IMAGE" : "VIDEO", mediaUrl: media.url };
  }

  // Call buttons and static URL buttons take no value: only the others reach the core, whose
  // indexes are mapped back to the request's.
  const buttons: TemplateButtonValue[] = [];
  const requestIndex: number[] = [];
  (m.buttons ?? []).forEach((b, i) => {
    if (b.type === "quick_reply") buttons.push({ type: "QUICK_REPLY", parameter: b.payload ?? "" });
    else if (b.type === "url" && b.parameter !== undefined)
      buttons.push({ type: "URL", parameter: b.parameter });
    else return;
    requestIndex.push(i);
  });
  if (errors.length > 0) return invalid(...errors);

  const content: TemplateContent = {
    type: "template",
    templateName: m.template_name,
    language: m.language ?? "en",
    bodyPlaceholders: m.body_params ?? [],
    ...(header ? { header } : {}),
    buttons,
  };
  const mediaHeader = header !== undefined && header.type !== "TEXT";
  const path = (field: string, message: string): string => {
    if (field === "templateName") return "message.template_name";
    if (field === "language") return "message.language";
    if (field.startsWith("body.placeholders"))
      return `message.body_params${field.slice("body.placeholders".length)}`;
    if (field === "header" || field === "header.type") {
      // Name the part of the request that holds (or should hold) the header.
      if (header) return mediaHeader ? "message.media.type" : "message.header_params";
      return /\bTEXT header/.test(message) ? "message.header_params" : "message.media";
    }
    const button = /^buttons\[(\d+)\](.*)$/.exec(field);
    if (button) return `message.buttons[${requestIndex[Number(button[1])] ?? button[1]}]${button[2]}`;
    if (field === "buttons") return "message.buttons";
    if (field.startsWith("limitedTimeOffer")) return "message.template_name";
    return envelopePath(field);
  };
  return translation(content, path);
}
