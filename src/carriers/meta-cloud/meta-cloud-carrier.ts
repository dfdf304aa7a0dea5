/**
 * Meta's Cloud API as a carrier: each message becomes Meta's send request for the sender's phone
 * number, paced at the sender's throughput tier, with OpenBSP-uploaded media uploaded to Meta
 * first. Meta's `wamid` is kept as the carrier id; Meta's statuses arrive later through the
 * intake (meta-intake.ts).
 */
import { readFile } from "node:fs/promises";
import type { AppContext } from "../../app/context.ts";
import { TtlCache } from "../../app/ttl-cache.ts";
import { type MetaCarrierSettings, metaCarrierOf } from "../../core/account.ts";
import { cardMediaOf, mediaOf } from "../../core/media-rules.ts";
import type { StoredMessage } from "../../core/message.ts";
import type { Template } from "../../core/template.ts";
import { WA } from "../../core/whatsapp-errors.ts";
import { type UploadedMediaFiles, uploadedMediaIdOf } from "../../media/uploaded-media-files.ts";
import type { Carrier, SendOutcome } from "../carrier.ts";
import { graphErrorOf, sendOutcomeOf } from "./graph-answer.ts";
import type { GraphClient } from "./graph-client.ts";
import { NotMappable, sendRequest } from "./send-request.ts";

/** Meta keeps uploaded media 30 days; OpenBSP reuses the id a day less, to be safe. */
const META_MEDIA_TTL_MS = 29 * 24 * 60 * 60 * 1000;

export class MetaCloudCarrier implements Carrier {
  readonly name = "meta";
  /** Per sender: when its next message may leave (real time), at its throughput tier. */
  readonly #nextSlot = new Map<string, number>();
  /** OpenBSP media id + sender → Meta's media id. */
  readonly #metaIds = new TtlCache<string, string>(META_MEDIA_TTL_MS);

  constructor(
    private readonly ctx: AppContext,
    private readonly graph: GraphClient,
    private readonly files: UploadedMediaFiles,
    /** Messages per second each sender may send (Meta's throughput tier; 80 by default). */
    private readonly mps: number,
  ) {}

  send(messages: readonly StoredMessage[]): Promise<SendOutcome[]> {
    return Promise.all(messages.map((m) => this.#sendOne(m)));
  }

  async #sendOne(m: StoredMessage): Promise<SendOutcome> {
    const sender = await this.ctx.lookups.sender(m.from);
    const meta = sender && metaCarrierOf(sender);
    if (!sender || !meta) return { kind: "retry", reason: `sender ${m.from} is no longer carried by Meta` };
    let body: unknown;
    try {
      const template = m.content.type === "template" ? await this.#template(sender.wabaId, m) : undefined;
      body = sendRequest(m, template, await this.#uploadMedia(meta, m));
    } catch (err) {
      if (err instanceof NotMappable)
        return { kind: "failed", error: { ...WA.unsupportedMessageType, details: err.message } };
      if (err instanceof UploadFailed) return err.outcome;
      throw err;
    }
    await this.#pace(m.from);
    try {
      return sendOutcomeOf(await this.graph.postJson(meta, `${meta.phoneNumberId}/messages`, body));
    } catch (err) {
      // No answer (timeout, connection refused or reset): Meta may or may not have it; retried.
      return { kind: "retry", reason: `Meta could not be reached: ${(err as Error).message}` };
    }
  }

  async #template(wabaId: string, m: StoredMessage): Promise<Template | undefined> {
    if (m.content.type !== "template") return undefined;
    const { templateName, language } = m.content;
    return (await this.ctx.lookups.templates(wabaId, templateName)).find((t) => t.language === language);
  }

  /** Waits for the sender's next slot, so Meta never sees it above its tier. */
  async #pace(sender: string): Promise<void> {
    if (this.mps <= 0) return;
    const now = Date.now();
    const slot = Math.max(now, this.#nextSlot.get(sender) ?? 0);
    this.#nextSlot.set(sender, slot + 1000 / this.mps);
    if (slot > now) await new Promise((r) => setTimeout(r, slot - now));
  }

  /** Links to media uploaded to OpenBSP, uploaded to Meta (once, then cached): link → Meta media id. */
  async #uploadMedia(meta: MetaCarrierSettings, m: StoredMessage): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const main = mediaOf(m.content);
    for (const { url } of [...(main ? [main] : []), ...cardMediaOf(m.content)]) {
      const id = uploadedMediaIdOf(url);
      if (id === undefined) continue;
      // A failed upload throws, so only ids Meta gave are cached.
      ids.set(url, await this.#metaIds.get(`${meta.phoneNumberId}\u0000${id}`, () => this.#upload(meta, id)));
    }
    return ids;
  }

  async #upload(meta: MetaCarrierSettings, id: string): Promise<string> {
    const record = await this.ctx.storage.media.get(id);
    if (!record)
      throw new UploadFailed({
        kind: "failed",
        error: { ...WA.mediaUploadError, details: `uploaded media ${id} does not exist (deleted?)` },
      });
    const bytes = await readFile(this.files.path(id));
    let answer: Awaited<ReturnType<GraphClient["upload"]>>;
    try {
      answer = await this.graph.upload(meta, bytes, record.mimeType, record.filename ?? `media-${id}`);
    } catch (err) {
      throw new UploadFailed({
        kind: "retry",
        reason: `Meta could not be reached: ${(err as Error).message}`,
      });
    }
    const metaId = (answer.body as { id?: unknown } | undefined)?.id;
    if (answer.status === 200 && typeof metaId === "string") return metaId;
    const outcome = sendOutcomeOf(answer);
    throw new UploadFailed(
      outcome.kind === "sent"
        ? { kind: "failed", error: graphErrorOf(answer.body) ?? WA.mediaUploadError }
        : outcome,
    );
  }
}

/** Uploading a message's media to Meta failed: the message's outcome. */
class UploadFailed extends Error {
  constructor(readonly outcome: SendOutcome) {
    super("media upload to Meta failed");
  }
}
