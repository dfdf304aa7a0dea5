/**
 * The simulated WhatsApp network, the embedded default carrier. Every number is a WhatsApp user
 * whose phone receives at once and reads after a delay, unless a sandbox rule says otherwise
 * (not a WhatsApp user, offline, slow, or failing with a given error). Phones are rows in the
 * simulator's store, so what a phone will do next survives a restart and is the same on every node.
 */
import type { AppContext } from "../../app/context.ts";
import { recordEvents } from "../../app/record-events.ts";
import { TtlCache } from "../../app/ttl-cache.ts";
import type { Carrier, SendOutcome } from "../../carriers/carrier.ts";
import type { MessageEventInput } from "../../core/events-plan.ts";
import {
  cardMediaOf,
  checkMedia,
  fetchCap,
  type MediaKind,
  mediaOf,
  mediaUploadError,
  type ReceivedMedia,
} from "../../core/media-rules.ts";
import type { MessageContent, StoredMessage } from "../../core/message.ts";
import type { CarrierEvent, WhatsAppError } from "../../core/message-status.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import type { MediaCache } from "../../media/media-cache.ts";
import type { FetchOutcome } from "../../media/media-fetcher.ts";
import { uploadedMediaIdOf } from "../../media/uploaded-media-files.ts";
import { ruleFor } from "../number-pattern.ts";
import type { HandsetMessage } from "./handset-message.ts";
import type { NetworkStore } from "./network-store.ts";
import type { SandboxRule } from "./sandbox-rule.ts";

export class SandboxCarrier implements Carrier {
  readonly name = "sandbox";
  readonly #rules = new TtlCache<"all", SandboxRule[]>(500);

  constructor(
    private readonly ctx: AppContext,
    private readonly media: MediaCache,
    private readonly network: NetworkStore,
    /** Nudges the phones' work loop (tick) when messages arrive. */
    private readonly wakeHandsets: () => void,
  ) {}

  /** Rules changed through this node's API: stop using the cached copy. */
  rulesChanged(): void {
    this.#rules.clear();
  }

  async send(messages: readonly StoredMessage[], now: number): Promise<SendOutcome[]> {
    const rules = await this.#rules.get("all", () => this.network.listSandboxRules());
    const arriving: HandsetMessage[] = [];
    const outcomes = await Promise.all(
      messages.map((m) => this.#outcome(m, ruleFor(rules, m.to), now, arriving)),
    );
    await this.network.putHandsetMessages(arriving);
    if (arriving.length > 0) this.wakeHandsets();
    return outcomes;
  }

  /** What the network does with one message; a delivered one is added to `arriving`. */
  async #outcome(
    m: StoredMessage,
    rule: SandboxRule | undefined,
    now: number,
    arriving: HandsetMessage[],
  ): Promise<SendOutcome> {
    switch (rule?.behaviour ?? "deliver") {
      case "not_whatsapp":
        return { kind: "failed", error: WA.notWhatsAppUser };
      case "fail":
        return {
          kind: "failed",
          error: { code: rule?.errorCode ?? WA.unknown.code, title: rule?.errorTitle ?? "Simulated failure" },
        };
      case "offline":
        return { kind: "retry", reason: "phone offline" };
      default: {
        // The phone downloads the media as the message reaches it; a link that fails fails the message.
        const media = await this.#download(m.content);
        if (media && "code" in media) return { kind: "failed", error: media };
        const cardMedia = await this.#downloadCards(m.content);
        if (cardMedia && "code" in cardMedia) return { kind: "failed", error: cardMedia };
        const readDelay = rule?.readDelayMs === undefined ? this.ctx.config.readDelayMs : rule.readDelayMs;
        const delay = rule?.deliverDelayMs ?? 0;
        // A phone that receives at once is delivered in the same step; a slow one later, by tick().
        const atOnce = delay === 0;
        arriving.push({
          seq: m.seq,
          phone: m.to,
          sender: m.from,
          messageId: m.messageId,
          content: m.content,
          ...(m.replyTo ? { replyTo: m.replyTo } : {}),
          ...(media ? { media } : {}),
          ...(cardMedia ? { cardMedia } : {}),
          state: atOnce ? "delivered" : "in_transit",
          receivedAt: now,
          nextEventAt: atOnce ? (readDelay === null ? undefined : now + readDelay) : now + delay,
          ...(readDelay !== null ? { readDelayMs: readDelay } : {}),
          expiresAt: m.expiresAt,
        });
        return atOnce ? { kind: "delivered" } : { kind: "sent" };
      }
    }
  }

  /** The message's media as the phone got it, the error that kept it away, or undefined when it has none. */
  async #download(content: MessageContent): Promise<ReceivedMedia | WhatsAppError | undefined> {
    const link = this.ctx.config.mediaDownload ? mediaOf(content) : undefined;
    return link ? this.#fetch(link) : undefined;
  }

  /** Every carousel card's media, in card order; the first card that fails fails the message. */
  async #downloadCards(content: MessageContent): Promise<ReceivedMedia[] | WhatsAppError | undefined> {
    const links = this.ctx.config.mediaDownload ? cardMediaOf(content) : [];
    if (links.length === 0) return undefined;
    const got = await Promise.all(links.map((link) => this.#fetch(link)));
    const failed = got.findIndex((g) => "code" in g);
    if (failed >= 0) {
      const error = got[failed] as WhatsAppError;
      return { ...error, details: `Carousel card ${failed}: ${error.details ?? error.title}` };
    }
    return got as ReceivedMedia[];
  }

  async #fetch(link: { kind: MediaKind; url: string }): Promise<ReceivedMedia | WhatsAppError> {
    const got = (await this.#uploaded(link.url)) ?? (await this.media.get(link.url, fetchCap(link.kind)));
    if (!got.ok) return mediaUploadError(got.details);
    const error = checkMedia(link.kind, got.media);
    if (error) return error;
    const { url, contentType, size, sha256, animated } = got.media;
    return { url, contentType, size, sha256: sha256 ?? "", ...(animated ? { animated } : {}) };
  }

  /** Media uploaded to OpenBSP is already here: its record stands for the download. */
  async #uploaded(url: string): Promise<FetchOutcome | undefined> {
    const id = uploadedMediaIdOf(url);
    if (id === undefined) return undefined;
    const m = await this.ctx.storage.media.get(id);
    if (!m) return { ok: false, details: `uploaded media ${id} does not exist (deleted?)` };
    return {
      ok: true,
      media: { url, contentType: m.mimeType, size: m.size, complete: true, sha256: m.sha256 },
    };
  }

  /** One round of the phones: deliver what has arrived, read what is due. True if it did anything. */
  async tick(): Promise<boolean> {
    const now = this.ctx.clock.now();
    const due = await this.network.dueHandsetMessages(now, 500);
    if (due.length === 0) return false;
    const events: MessageEventInput[] = [];
    const moves: { seq: number; state: HandsetMessage["state"]; nextEventAt: number | undefined }[] = [];
    for (const h of due) {
      let event: CarrierEvent;
      if (h.state === "in_transit" && now >= h.expiresAt) {
        event = { kind: "expired", at: now };
        moves.push({ seq: h.seq, state: "in_transit", nextEventAt: undefined });
      } else if (h.state === "in_transit") {
        event = { kind: "delivered", at: now };
        moves.push({
          seq: h.seq,
          state: "delivered",
          nextEventAt: h.readDelayMs === undefined ? undefined : now + h.readDelayMs,
        });
      } else {
        event = { kind: "seen", at: now };
        moves.push({ seq: h.seq, state: "read", nextEventAt: undefined });
      }
      events.push({ seq: h.seq, event });
    }
    // Events first: if we crash between the two writes the phone repeats itself, and the status
    // machine ignores the repeat; the other order could lose the event.
    await recordEvents(this.ctx, events);
    await this.network.updateHandsetMessages(moves);
    return true;
  }
}
