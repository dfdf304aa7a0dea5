/**
 * Template registration and lifecycle: create (reviewed at once for verified businesses, after a
 * delay otherwise), edit (only APPROVED, REJECTED or PAUSED; goes back to review), delete (every
 * language across the WABA; the name is locked for 30 days).
 */
import { type Account, metaCarrierOf, type Sender } from "../core/account.ts";
import { DAY_MS } from "../core/clock.ts";
import type { FieldError } from "../core/field-error.ts";
import type { Template, TemplateDefinition } from "../core/template.ts";
import { checkTemplateDefinition } from "../core/template-definition-rules.ts";
import { reviewTemplate } from "../core/template-review.ts";
import type { NewWebhook } from "../core/webhook.ts";
import type { AppContext } from "./context.ts";
import { uuidv7 } from "./ids.ts";
import { templateShorteningErrors } from "./short-links.ts";

export const NAME_LOCK_MS = 30 * DAY_MS;

export type TemplateResult =
  | { readonly kind: "ok"; readonly template: Template }
  | { readonly kind: "invalid"; readonly errors: readonly FieldError[] }
  | { readonly kind: "not-found" };

let lastId = 0;
/** Numeric template ids, as Meta and Infobip use; time-based so they sort by creation. */
function templateId(now: number): string {
  lastId = Math.max(lastId + 1, now * 1000);
  return String(lastId);
}

/**
 * Decides at once for verified businesses; otherwise leaves the template PENDING for the reviewer.
 * A Meta-carried sender's template is Meta's to judge: PENDING with no review due, so the
 * simulated reviewer never takes it; the carrier submits it and Meta's verdict comes back.
 */
function review(
  ctx: AppContext,
  account: Account,
  sender: Sender,
  template: Template,
  now: number,
): Template {
  const { reviewDueAt: _due, rejectionReason: _reason, ...rest } = template;
  if (metaCarrierOf(sender)) return { ...rest, status: "PENDING" };
  if (!account.businessVerified)
    return { ...rest, status: "PENDING", reviewDueAt: now + ctx.config.templateReviewMs };
  return decide(rest);
}

function decide(template: Template): Template {
  const { reviewDueAt: _due, rejectionReason: _reason, ...rest } = template;
  const verdict = reviewTemplate(template.category, template.structure);
  return verdict.verdict === "APPROVED"
    ? { ...rest, status: "APPROVED" }
    : { ...rest, status: "REJECTED", rejectionReason: verdict.reason };
}

export async function createTemplate(
  ctx: AppContext,
  account: Account,
  sender: Sender,
  def: TemplateDefinition,
): Promise<TemplateResult> {
  const errors = [
    ...checkTemplateDefinition(def),
    ...(await templateShorteningErrors(ctx, account, def.structure)),
  ];
  if (errors.length > 0) return { kind: "invalid", errors };
  const now = ctx.clock.now();
  const lockedUntil = await ctx.storage.catalog.nameLockedUntil(sender.wabaId, def.name, now);
  if (lockedUntil !== undefined) {
    const until = new Date(lockedUntil).toISOString();
    return {
      kind: "invalid",
      errors: [{ field: "name", message: `was deleted; it can be reused after ${until}` }],
    };
  }
  const template = review(
    ctx,
    account,
    sender,
    { ...def, id: templateId(now), wabaId: sender.wabaId, status: "PENDING", createdAt: now, updatedAt: now },
    now,
  );
  if (!(await ctx.storage.catalog.insertTemplate(template, await statusWebhooks(ctx, account, template)))) {
    return {
      kind: "invalid",
      errors: [{ field: "language", message: `template ${def.name} already exists in ${def.language}` }],
    };
  }
  ctx.lookups.templatesChanged();
  return { kind: "ok", template };
}

export type TemplateEdit = Partial<
  Pick<TemplateDefinition, "category" | "structure" | "entityId" | "applicationId">
> & {
  /** A new custom time-to-live; null: back to WhatsApp's default; absent: unchanged. */
  readonly ttlSeconds?: number | null;
};

export async function editTemplate(
  ctx: AppContext,
  account: Account,
  sender: Sender,
  id: string,
  edit: TemplateEdit,
): Promise<TemplateResult> {
  const current = await ctx.storage.catalog.getTemplate(sender.wabaId, id);
  if (!current) return { kind: "not-found" };
  if (!["APPROVED", "REJECTED", "PAUSED"].includes(current.status)) {
    return {
      kind: "invalid",
      errors: [
        {
          field: "id",
          message: `a ${current.status} template cannot be edited (only APPROVED, REJECTED or PAUSED)`,
        },
      ],
    };
  }
  const { ttlSeconds, ...changes } = edit;
  const { ttlSeconds: currentTtl, ...kept } = current;
  const ttl = ttlSeconds === undefined ? currentTtl : (ttlSeconds ?? undefined);
  const next: Template = {
    ...kept,
    ...changes,
    ...(ttl !== undefined ? { ttlSeconds: ttl } : {}),
    updatedAt: ctx.clock.now(),
  };
  const errors = [
    ...checkTemplateDefinition(next),
    ...(await templateShorteningErrors(ctx, account, next.structure)),
  ];
  if (errors.length > 0) return { kind: "invalid", errors };
  const template = review(ctx, account, sender, next, next.updatedAt);
  await ctx.storage.catalog.updateTemplate(template, await statusWebhooks(ctx, account, template));
  ctx.lookups.templatesChanged();
  return { kind: "ok", template };
}

/** Deletes every language of `name`, or only the one with `id` (Meta's `hsm_id`). */
export async function deleteTemplate(
  ctx: AppContext,
  sender: Sender,
  name: string,
  id?: string,
): Promise<boolean> {
  const deleted = await ctx.storage.catalog.deleteTemplatesByName(
    sender.wabaId,
    name,
    ctx.clock.now() + NAME_LOCK_MS,
    id,
  );
  ctx.lookups.templatesChanged();
  return deleted > 0;
}

/**
 * WhatsApp's quality system acting on an approved template (pause for low quality, disable,
 * reinstate): a sandbox lever, reported like a review outcome.
 */
export async function setTemplateQuality(
  ctx: AppContext,
  id: string,
  status: "APPROVED" | "PAUSED" | "DISABLED",
): Promise<Template | undefined> {
  const current = await ctx.storage.catalog.findTemplateById(id);
  if (!current) return undefined;
  const template: Template = { ...current, status, updatedAt: ctx.clock.now() };
  const owner = (await ctx.storage.catalog.listSenders(template.wabaId))[0];
  const account = owner && (await ctx.storage.catalog.getAccount(owner.accountId));
  await ctx.storage.catalog.updateTemplate(
    template,
    account ? await statusWebhooks(ctx, account, template) : [],
  );
  ctx.lookups.templatesChanged();
  return template;
}

/**
 * A person deciding a PENDING template in the simulated reviewer's place (the console): approved,
 * or rejected with a reason, reported like the reviewer's own decision.
 */
export async function decideTemplate(
  ctx: AppContext,
  id: string,
  decision: { readonly status: "APPROVED" } | { readonly status: "REJECTED"; readonly reason: string },
): Promise<TemplateResult> {
  const current = await ctx.storage.catalog.findTemplateById(id);
  if (!current) return { kind: "not-found" };
  if (current.status !== "PENDING")
    return {
      kind: "invalid",
      errors: [
        { field: "id", message: `template ${id} is ${current.status}; only a PENDING one is reviewed` },
      ],
    };
  const { reviewDueAt: _due, rejectionReason: _reason, ...rest } = current;
  const template: Template =
    decision.status === "APPROVED"
      ? { ...rest, status: "APPROVED", updatedAt: ctx.clock.now() }
      : { ...rest, status: "REJECTED", rejectionReason: decision.reason, updatedAt: ctx.clock.now() };
  const owner = (await ctx.storage.catalog.listSenders(template.wabaId))[0];
  const account = owner && (await ctx.storage.catalog.getAccount(owner.accountId));
  await ctx.storage.catalog.updateTemplate(
    template,
    account ? await statusWebhooks(ctx, account, template) : [],
  );
  ctx.lookups.templatesChanged();
  return { kind: "ok", template };
}

/** What a carrier (Meta) says of a template: its review status, category, or the reason it was rejected. */
export interface CarrierTemplateUpdate {
  readonly status?: Template["status"];
  readonly category?: Template["category"];
  readonly reason?: string;
}

/**
 * Meta's word on a template of a Meta-carried sender (a webhook, or the periodic sync): the stored
 * template follows it, and each face that reports template statuses is told. No change, no report.
 */
export async function applyCarrierTemplateUpdate(
  ctx: AppContext,
  wabaId: string,
  name: string,
  language: string,
  update: CarrierTemplateUpdate,
): Promise<Template | undefined> {
  const current = (await ctx.storage.catalog.findTemplatesByName(wabaId, name)).find(
    (t) => t.language === language,
  );
  if (!current) return undefined;
  const status = update.status ?? current.status;
  const category = update.category ?? current.category;
  if (status === current.status && category === current.category) return current;
  const { rejectionReason: _reason, reviewDueAt: _due, ...rest } = current;
  const template: Template = {
    ...rest,
    status,
    category,
    ...(status === "REJECTED" ? { rejectionReason: update.reason ?? "NONE" } : {}),
    updatedAt: ctx.clock.now(),
  };
  const owner = (await ctx.storage.catalog.listSenders(wabaId))[0];
  const account = owner && (await ctx.storage.catalog.getAccount(owner.accountId));
  await ctx.storage.catalog.updateTemplate(
    template,
    account ? await statusWebhooks(ctx, account, template) : [],
  );
  ctx.lookups.templatesChanged();
  return template;
}

/** The simulated reviewer's round: decides every PENDING template whose review time has come. */
export async function reviewDueTemplates(
  ctx: AppContext,
  onDecided?: (template: Template) => void,
): Promise<boolean> {
  const due = await ctx.storage.catalog.pendingTemplatesDue(ctx.clock.now(), 100);
  for (const t of due) {
    const decided: Template = { ...decide(t), updatedAt: ctx.clock.now() };
    const owner = (await ctx.storage.catalog.listSenders(t.wabaId))[0];
    const account = owner && (await ctx.storage.catalog.getAccount(owner.accountId));
    await ctx.storage.catalog.updateTemplate(
      decided,
      account ? await statusWebhooks(ctx, account, decided) : [],
    );
    ctx.lookups.templatesChanged();
    onDecided?.(decided);
    ctx.log.info({ template: t.name, language: t.language, status: decided.status }, "template reviewed");
  }
  return due.length > 0;
}

/** The review outcome (APPROVED or REJECTED) for each face that reports template statuses. */
async function statusWebhooks(ctx: AppContext, account: Account, template: Template): Promise<NewWebhook[]> {
  if (template.status === "PENDING") return [];
  const subscriptions = await ctx.storage.subscriptions.subscriptionsOf(account.id);
  const out: NewWebhook[] = [];
  const facts = {
    wabaId: template.wabaId,
    applicationId: template.applicationId,
    entityId: template.entityId,
  };
  for (const formatter of Object.values(ctx.formatters)) {
    if (!formatter.templateStatus) continue;
    // The subscriptions that take template updates, else the account's default URL.
    const subscribed = formatter.subscribedUrls?.(account, subscriptions, "template", facts) ?? [];
    const fallback = formatter.templateStatusBySubscription ? undefined : formatter.reportUrl(account);
    const routes: { url: string; subscriptionId?: string }[] =
      subscribed.length > 0 ? subscribed : fallback ? [{ url: fallback }] : [];
    if (routes.length === 0) continue;
    const post = formatter.templateStatus(template, account);
    for (const route of routes)
      out.push({
        id: uuidv7(template.updatedAt),
        accountId: account.id,
        url: route.url,
        body: post.body,
        ...(post.headers ? { headers: post.headers } : {}),
        reports: 1,
        createdAt: template.updatedAt,
        ...(route.subscriptionId ? { subscriptionId: route.subscriptionId } : {}),
      });
  }
  return out;
}
