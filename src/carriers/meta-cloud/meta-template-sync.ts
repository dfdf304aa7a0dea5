/**
 * Templates of Meta-carried senders are Meta's to judge: registered through any face, they are
 * submitted to Meta's `/{waba-id}/message_templates`, and follow what Meta says of them — its
 * `message_template_status_update` webhooks (meta-intake.ts) and, for updates a webhook missed, a
 * periodic sync of the WABA's template list.
 */

import type { AppContext } from "../../app/context.ts";
import { applyCarrierTemplateUpdate } from "../../app/manage-templates.ts";
import { type MetaCarrierSettings, metaCarrierOf, type Sender } from "../../core/account.ts";
import {
  TEMPLATE_CATEGORIES,
  type Template,
  type TemplateCategory,
  type TemplateStatus,
} from "../../core/template.ts";
import { structureToComponents } from "../../meta-graph/template-components.ts";
import { graphErrorOf } from "./graph-answer.ts";
import type { GraphClient } from "./graph-client.ts";

const STATUSES: readonly TemplateStatus[] = ["PENDING", "APPROVED", "REJECTED", "PAUSED", "DISABLED"];

/** Meta's status name as the core's, if it has one (IN_APPEAL, PENDING_DELETION, … are not the core's). */
export function templateStatusOf(raw: unknown): TemplateStatus | undefined {
  const s = String(raw ?? "").toUpperCase();
  return (STATUSES as readonly string[]).includes(s) ? (s as TemplateStatus) : undefined;
}

export function templateCategoryOf(raw: unknown): TemplateCategory | undefined {
  const s = String(raw ?? "").toUpperCase();
  return (TEMPLATE_CATEGORIES as readonly string[]).includes(s) ? (s as TemplateCategory) : undefined;
}

export class MetaTemplateSync {
  /** Templates handed to Meta by this process (a repeat after a restart meets Meta's "already exists"). */
  readonly #submitted = new Set<string>();
  #lastSync = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly ctx: AppContext,
    private readonly graph: GraphClient,
    /** How often Meta's template list is read for updates a webhook missed. */
    private readonly syncMs: number,
  ) {}

  async tick(): Promise<boolean> {
    const senders = await this.ctx.storage.catalog.listCarriedSenders("meta");
    const byWaba = new Map<string, { sender: Sender; meta: MetaCarrierSettings }>();
    for (const s of senders) {
      const meta = metaCarrierOf(s);
      if (meta && !byWaba.has(s.wabaId)) byWaba.set(s.wabaId, { sender: s, meta });
    }
    let did = false;
    const sync = Date.now() - this.#lastSync >= this.syncMs;
    if (sync) this.#lastSync = Date.now();
    for (const [wabaId, { meta }] of byWaba) {
      const local = await this.ctx.storage.catalog.listTemplates(wabaId);
      for (const t of local) {
        if (t.status !== "PENDING" || t.reviewDueAt !== undefined || this.#submitted.has(t.id)) continue;
        await this.#submit(meta, t);
        did = true;
      }
      if (sync) await this.#sync(wabaId, meta, local);
    }
    return did;
  }

  async #submit(meta: MetaCarrierSettings, t: Template): Promise<void> {
    let answer: Awaited<ReturnType<GraphClient["postJson"]>>;
    try {
      answer = await this.graph.postJson(meta, `${meta.wabaId}/message_templates`, {
        name: t.name,
        language: t.language,
        category: t.category,
        components: structureToComponents(t.structure),
      });
    } catch (err) {
      this.ctx.log.warn(
        { template: t.name, err: (err as Error).message },
        "Meta could not be reached; template submission retried",
      );
      return;
    }
    const body = answer.body as { status?: unknown; category?: unknown } | undefined;
    if (answer.status >= 200 && answer.status < 300) {
      this.#submitted.add(t.id);
      const status = templateStatusOf(body?.status);
      const category = templateCategoryOf(body?.category);
      await applyCarrierTemplateUpdate(this.ctx, t.wabaId, t.name, t.language, {
        ...(status ? { status } : {}),
        ...(category ? { category } : {}),
      });
      return;
    }
    const error = graphErrorOf(answer.body);
    if (answer.status === 429 || answer.status >= 500) return; // retried next round
    // Meta refused the template itself: it is rejected, with Meta's words.
    this.#submitted.add(t.id);
    await applyCarrierTemplateUpdate(this.ctx, t.wabaId, t.name, t.language, {
      status: "REJECTED",
      reason: error
        ? `${error.title}${error.details ? `: ${error.details}` : ""} (Meta error ${error.code})`
        : `Meta answered HTTP ${answer.status}`,
    });
  }

  /** Reads the WABA's templates at Meta and brings the stored ones in line with them. */
  async #sync(wabaId: string, meta: MetaCarrierSettings, local: readonly Template[]): Promise<void> {
    const wanted = new Set(local.map((t) => `${t.name}\u0000${t.language}`));
    let after: string | undefined;
    for (let page = 0; page < 100; page++) {
      let answer: Awaited<ReturnType<GraphClient["getJson"]>>;
      try {
        answer = await this.graph.getJson(
          meta,
          `${meta.wabaId}/message_templates?limit=100${after ? `&after=${encodeURIComponent(after)}` : ""}`,
        );
      } catch (err) {
        this.ctx.log.warn({ err: (err as Error).message }, "Meta's template list could not be read");
        return;
      }
      if (answer.status !== 200) return;
      const body = answer.body as {
        data?: {
          name?: unknown;
          language?: unknown;
          status?: unknown;
          category?: unknown;
          rejected_reason?: unknown;
        }[];
        paging?: { next?: unknown; cursors?: { after?: unknown } };
      };
      for (const m of body.data ?? []) {
        const key = `${String(m.name)}\u0000${String(m.language)}`;
        if (!wanted.has(key)) continue;
        const status = templateStatusOf(m.status);
        const category = templateCategoryOf(m.category);
        await applyCarrierTemplateUpdate(this.ctx, wabaId, String(m.name), String(m.language), {
          ...(status ? { status } : {}),
          ...(category ? { category } : {}),
          ...(typeof m.rejected_reason === "string" ? { reason: m.rejected_reason } : {}),
        });
      }
      const next = body.paging?.cursors?.after;
      if (!body.paging?.next || typeof next !== "string") return;
      after = next;
    }
  }
}
