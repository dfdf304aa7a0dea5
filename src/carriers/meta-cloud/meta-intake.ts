/**
 * Processes a webhook Meta posted (kept raw in the carrier inbox): statuses become the core's
 * carrier events for the message Meta knows by its `wamid`; users' messages become core inbound
 * messages, their media fetched with Meta's two hops and stored so the business downloads it
 * from OpenBSP. Meta repeats itself: the status machine and the inbound store absorb repeats.
 */
import type { AppContext } from "../../app/context.ts";
import { applyCarrierTemplateUpdate } from "../../app/manage-templates.ts";
import { receiveInbound } from "../../app/receive-inbound.ts";
import { type OpenLink, receiveInboundMedia } from "../../app/receive-inbound-media.ts";
import { recordEvents } from "../../app/record-events.ts";
import { type MetaCarrierSettings, metaCarrierOf, type Sender } from "../../core/account.ts";
import type { MessageEventInput } from "../../core/events-plan.ts";
import type { ContactCard } from "../../core/free-form-content.ts";
import type { InboundContent, InboundMessage } from "../../core/inbound.ts";
import type { MediaKind } from "../../core/media-rules.ts";
import type { CarrierEvent } from "../../core/message-status.ts";
import type { CarrierPost } from "../../store/carrier-inbox-store.ts";
import type { MediaFiles } from "../../store/media-files.ts";
import { graphErrorOf } from "./graph-answer.ts";
import type { GraphClient } from "./graph-client.ts";
import { templateCategoryOf, templateStatusOf } from "./meta-template-sync.ts";

// biome-ignore lint/suspicious/noExplicitAny: Meta's payloads are read field by field, loosely
type Loose = any;

/** Processed, or to be tried again (a status that names a message whose send is not recorded yet). */
export type IntakeResult = { readonly kind: "done" } | { readonly kind: "retry"; readonly reason: string };

/** How often a post naming unknown messages is tried again before those statuses are dropped. */
const UNKNOWN_STATUS_ATTEMPTS = 20;

export class MetaIntake {
  constructor(
    private readonly ctx: AppContext,
    private readonly graph: GraphClient,
    private readonly files: MediaFiles,
  ) {}

  async process(post: CarrierPost): Promise<IntakeResult> {
    const sender = await this.ctx.storage.catalog.findSender(post.sender);
    const meta = sender && metaCarrierOf(sender);
    if (!sender || !meta) return { kind: "done" };
    let envelope: Loose;
    try {
      envelope = JSON.parse(post.body);
    } catch {
      this.ctx.log.warn({ seq: post.seq }, "Meta webhook is not JSON; dropped");
      return { kind: "done" };
    }
    let unknown = 0;
    for (const entry of asArray(envelope?.entry)) {
      for (const change of asArray(entry?.changes)) {
        const value = change?.value;
        if (typeof value !== "object" || value === null) continue;
        if (change?.field !== "messages") {
          await this.#templateChange(sender, String(change?.field), value);
          continue;
        }
        const target = await this.#senderOf(sender, value);
        if (!target) continue;
        unknown += await this.#statuses(asArray(value.statuses));
        await this.#messages(target, metaCarrierOf(target) ?? meta, value, post.publicBase);
      }
    }
    return unknown > 0 && post.attempts < UNKNOWN_STATUS_ATTEMPTS
      ? { kind: "retry", reason: `${unknown} statuses name messages not known (yet)` }
      : { kind: "done" };
  }

  /** Meta's word on a template: its review status, or its category. */
  async #templateChange(sender: Sender, field: string, value: Loose): Promise<void> {
    const name = String(value.message_template_name ?? "");
    const language = String(value.message_template_language ?? "");
    if (field === "message_template_status_update") {
      const status = templateStatusOf(value.event);
      if (status)
        await applyCarrierTemplateUpdate(this.ctx, sender.wabaId, name, language, {
          status,
          ...(typeof value.reason === "string" && value.reason !== "NONE" ? { reason: value.reason } : {}),
        });
    } else if (field === "template_category_update") {
      const category = templateCategoryOf(value.new_category);
      if (category) await applyCarrierTemplateUpdate(this.ctx, sender.wabaId, name, language, { category });
    } else this.ctx.log.info({ field }, "Meta webhook field not processed");
  }

  /** The sender the change is for: the post's, unless the change names another phone number id. */
  async #senderOf(sender: Sender, value: Loose): Promise<Sender | undefined> {
    const id = value?.metadata?.phone_number_id;
    if (id === undefined || id === metaCarrierOf(sender)?.phoneNumberId) return sender;
    this.ctx.log.warn({ phoneNumberId: id }, "Meta webhook for another phone number; ignored");
    return undefined;
  }

  /** Applies the statuses; answers how many named no message OpenBSP knows. */
  async #statuses(statuses: Loose[]): Promise<number> {
    if (statuses.length === 0) return 0;
    const ids = statuses.map((s) => String(s?.id ?? ""));
    const known = await this.ctx.storage.messages.byCarrierId(ids);
    const now = this.ctx.clock.now();
    const events: MessageEventInput[] = [];
    let unknown = 0;
    for (const s of statuses) {
      const message = known.get(String(s?.id ?? ""));
      const event = eventOf(s, now);
      if (!event) continue;
      if (!message) unknown++;
      else events.push({ seq: message.seq, event });
    }
    await recordEvents(this.ctx, events);
    return unknown;
  }

  async #messages(
    sender: Sender,
    meta: MetaCarrierSettings,
    value: Loose,
    publicBase: string,
  ): Promise<void> {
    const names = new Map<string, string>();
    for (const c of asArray(value.contacts))
      if (c?.wa_id && c?.profile?.name) names.set(String(c.wa_id), String(c.profile.name));
    for (const m of asArray(value.messages)) {
      const from = String(m?.from ?? "");
      const content = await this.#content(sender, meta, m, from);
      const quoted = m?.context?.id
        ? await this.#quote(sender, String(m.context.id), m.context.from)
        : undefined;
      const message: InboundMessage = {
        messageId: String(m?.id ?? ""),
        to: sender.number,
        from,
        receivedAt: this.ctx.clock.now(),
        content,
        ...(names.get(from) ? { contactName: names.get(from) as string } : {}),
        ...(quoted && content.type !== "reaction" ? { quote: quoted } : {}),
      };
      const result = await receiveInbound(this.ctx, message, publicBase);
      if (result.kind === "unknown-sender")
        this.ctx.log.warn({ to: sender.number }, "inbound for an unknown sender");
    }
  }

  /** A quote of the business's own message names it by OpenBSP's id, not Meta's. */
  async #quote(sender: Sender, id: string, from: unknown) {
    const ours = (await this.ctx.storage.messages.byCarrierId([id])).get(id);
    if (ours) return { messageId: ours.messageId, from: sender.number };
    return { messageId: id, ...(typeof from === "string" && from !== sender.number ? { from } : {}) };
  }

  async #content(sender: Sender, meta: MetaCarrierSettings, m: Loose, from: string): Promise<InboundContent> {
    const type = String(m?.type ?? "");
    switch (type) {
      case "text":
        return { type: "text", text: String(m.text?.body ?? "") };
      case "image":
      case "video":
      case "document":
      case "audio":
      case "sticker": {
        const stored = await this.#media(sender, meta, type, m[type] ?? {}, from);
        if (!stored) return { type: "unsupported" };
        if (type === "audio") return { type, media: stored, voice: m.audio?.voice === true };
        if (type === "sticker") return { type, media: stored, animated: m.sticker?.animated === true };
        return { type, media: stored };
      }
      case "location": {
        const l = m.location ?? {};
        return {
          type: "location",
          latitude: Number(l.latitude),
          longitude: Number(l.longitude),
          ...(typeof l.name === "string" ? { name: l.name } : {}),
          ...(typeof l.address === "string" ? { address: l.address } : {}),
          ...(typeof l.url === "string" ? { url: l.url } : {}),
        };
      }
      case "contacts":
        return { type: "contacts", contacts: asArray(m.contacts).map(contactCard) };
      case "reaction":
        return {
          type: "reaction",
          messageId: await this.#ourId(String(m.reaction?.message_id ?? "")),
          emoji: String(m.reaction?.emoji ?? ""),
        };
      case "button":
        return {
          type: "button",
          text: String(m.button?.text ?? ""),
          payload: String(m.button?.payload ?? ""),
        };
      case "interactive": {
        const i = m.interactive ?? {};
        if (i.type === "button_reply")
          return {
            type: "button_reply",
            id: String(i.button_reply?.id ?? ""),
            title: String(i.button_reply?.title ?? ""),
          };
        if (i.type === "list_reply")
          return {
            type: "list_reply",
            id: String(i.list_reply?.id ?? ""),
            title: String(i.list_reply?.title ?? ""),
            ...(typeof i.list_reply?.description === "string"
              ? { description: i.list_reply.description }
              : {}),
          };
        if (i.type === "nfm_reply")
          return {
            type: "flow_reply",
            name: String(i.nfm_reply?.name ?? "flow"),
            body: String(i.nfm_reply?.body ?? ""),
            responseJson: String(i.nfm_reply?.response_json ?? "{}"),
          };
        return { type: "unsupported" };
      }
      case "order":
        return {
          type: "order",
          catalogId: String(m.order?.catalog_id ?? ""),
          ...(m.order?.text ? { text: String(m.order.text) } : {}),
          items: asArray(m.order?.product_items).map((p) => ({
            productRetailerId: String(p?.product_retailer_id ?? ""),
            quantity: Number(p?.quantity ?? 0),
            itemPrice: Number(p?.item_price ?? 0),
            currency: String(p?.currency ?? ""),
          })),
        };
      default:
        return { type: "unsupported" };
    }
  }

  async #ourId(wamid: string): Promise<string> {
    return (await this.ctx.storage.messages.byCarrierId([wamid])).get(wamid)?.messageId ?? wamid;
  }

  /** Meta's two hops: `GET /{media-id}` for a short-lived URL, then the bytes with the same token. */
  async #media(sender: Sender, meta: MetaCarrierSettings, kind: MediaKind, object: Loose, from: string) {
    const id = String(object?.id ?? "");
    const info = await this.graph.getJson(meta, encodeURIComponent(id));
    const url = (info.body as Loose)?.url;
    if (info.status !== 200 || typeof url !== "string") {
      const e = graphErrorOf(info.body);
      this.ctx.log.warn({ id, status: info.status, code: e?.code }, "Meta media could not be retrieved");
      return undefined;
    }
    const openLink: OpenLink = (link) => this.graph.download(meta, link);
    const mimeType = (info.body as Loose)?.mime_type ?? object?.mime_type;
    const result = await receiveInboundMedia(this.ctx, this.files, openLink, {
      kind,
      source: {
        link: url,
        ...(typeof mimeType === "string" ? { mimeType: mimeType.split(";")[0]?.trim() } : {}),
      },
      sender,
      from,
      ...(typeof object?.caption === "string" ? { caption: object.caption } : {}),
      ...(typeof object?.filename === "string" ? { filename: object.filename } : {}),
      ...(object?.animated === true ? { animated: true } : {}),
      field: kind,
    });
    if (result.kind === "invalid") {
      this.ctx.log.warn({ id, problem: result.error.message }, "Meta media refused");
      return undefined;
    }
    return result.media;
  }
}

function asArray(v: unknown): Loose[] {
  return Array.isArray(v) ? v : [];
}

/** A Meta status as the core's event; `undefined` for one it does not know. */
function eventOf(s: Loose, now: number): CarrierEvent | undefined {
  const ts = Number(s?.timestamp);
  const at = Number.isFinite(ts) && ts > 0 ? ts * 1000 : now;
  switch (s?.status) {
    case "sent":
      return { kind: "sent", at };
    case "delivered":
      return { kind: "delivered", at };
    case "read":
      return { kind: "seen", at };
    case "failed": {
      const e = asArray(s.errors)[0] ?? {};
      const code = Number(e.code);
      const title = String(e.title ?? e.message ?? "Message failed");
      const details = e.error_data?.details ?? e.message;
      return {
        kind: "failed",
        at,
        error: {
          code: Number.isFinite(code) ? code : 131000,
          title,
          ...(typeof details === "string" && details !== title ? { details } : {}),
        },
      };
    }
    default:
      return undefined;
  }
}

function contactCard(c: Loose): ContactCard {
  const n = c?.name ?? {};
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  const opt = <K extends string>(k: K, v: unknown) => (str(v) !== undefined ? { [k]: str(v) } : {});
  return {
    name: {
      formattedName: String(n.formatted_name ?? ""),
      ...opt("firstName", n.first_name),
      ...opt("lastName", n.last_name),
      ...opt("middleName", n.middle_name),
      ...opt("nameSuffix", n.suffix),
      ...opt("namePrefix", n.prefix),
    },
    ...(Array.isArray(c?.addresses) ? { addresses: c.addresses } : {}),
    ...opt("birthday", c?.birthday),
    ...(Array.isArray(c?.emails) ? { emails: c.emails } : {}),
    ...(c?.org && typeof c.org === "object" ? { org: c.org } : {}),
    ...(Array.isArray(c?.phones)
      ? {
          phones: c.phones.map((p: Loose) => ({
            ...opt("phone", p?.phone),
            ...opt("type", p?.type),
            ...opt("waId", p?.wa_id),
          })),
        }
      : {}),
    ...(Array.isArray(c?.urls) ? { urls: c.urls } : {}),
  };
}
