/**
 * First-start seeding with deterministic ids: one account, one WABA, one sender and one APPROVED
 * template, so a fresh install can send at once. Pinned values (API key, sender, URLs) come from the
 * configuration so a test harness knows them in advance.
 */
import { randomBytes } from "node:crypto";
import type { Account } from "../core/account.ts";
import type { Template } from "../core/template.ts";
import type { AppContext } from "./context.ts";

export const SEED = {
  accountId: "acc-default",
  /** The default; OPENBSP_META_WABA_ID pins another. */
  wabaId: "100000000000001",
  templateId: "100000000000002",
  templateName: "welcome",
  templateLanguage: "en",
} as const;

export interface Seeded {
  readonly account: Account;
  readonly sender: string;
  readonly template: Template;
}

export async function seed(ctx: AppContext): Promise<Seeded> {
  const { config, store } = ctx;
  const existing = await store.getAccount(SEED.accountId);
  const apiKey = config.apiKey ?? existing?.apiKey ?? `obsp_${randomBytes(16).toString("hex")}`;
  const account: Account = {
    id: SEED.accountId,
    name: "default",
    apiKey,
    businessVerified: config.businessVerified,
  };
  await store.upsertAccount(account);
  if (config.deliveryUrl !== undefined || config.inboundUrl !== undefined) {
    await store.updateAccountWebhooks(SEED.accountId, {
      ...(config.deliveryUrl !== undefined ? { deliveryUrl: config.deliveryUrl } : {}),
      ...(config.inboundUrl !== undefined ? { inboundUrl: config.inboundUrl } : {}),
    });
  }
  if (config.metaWebhookUrl || config.metaAppSecret || config.metaVerifyToken || config.sinchCallbackUrl) {
    await store.updateAccountFaceSettings(SEED.accountId, {
      meta: defined({ webhookUrl: config.metaWebhookUrl, appSecret: config.metaAppSecret, verifyToken: config.metaVerifyToken }),
      sinch: defined({ callbackUrl: config.sinchCallbackUrl }),
    });
  }
  const wabaId = config.metaWabaId;
  await store.upsertSender({
    number: config.sender,
    accountId: SEED.accountId,
    wabaId,
    metaPhoneNumberId: config.metaPhoneNumberId,
    sinchBotId: config.sinchBotId,
  });

  const templates = await store.findTemplatesByName(wabaId, SEED.templateName);
  let template = templates.find((t) => t.language === SEED.templateLanguage);
  if (!template && !(await store.nameLockedUntil(wabaId, SEED.templateName, ctx.clock.now()))) {
    const now = ctx.clock.now();
    template = {
      id: SEED.templateId,
      wabaId,
      name: SEED.templateName,
      language: SEED.templateLanguage,
      category: "UTILITY",
      structure: { body: { text: "Hello {{1}}, welcome to OpenBSP!", examples: ["Ann"] }, buttons: [] },
      status: "APPROVED",
      createdAt: now,
      updatedAt: now,
    };
    await store.insertTemplate(template);
  }
  const stored = (await store.getAccount(SEED.accountId)) as Account;
  return { account: stored, sender: config.sender, template: template as Template };
}

function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}
