import type { Config } from "../config.ts";
import type { Account, SenderCarrier } from "../core/account.ts";
import type { Template } from "../core/template.ts";
import { AdminError } from "./admin-error.ts";
import type { AppContext } from "./context.ts";
import { changeAccount, createAccount } from "./manage-accounts.ts";
import { createApiKey } from "./manage-api-keys.ts";
import { registerSender } from "./manage-senders.ts";

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
  /** The seeded account's API key, when known this start (configured, or made now for a new install). */
  readonly apiKey?: string;
  readonly sender: string;
  readonly template: Template;
}

export async function seed(ctx: AppContext): Promise<Seeded> {
  const { config, storage } = ctx;
  const existing = await storage.catalog.getAccount(SEED.accountId);
  let created = false;
  if (!existing) {
    try {
      await createAccount(ctx, {
        id: SEED.accountId,
        name: "default",
        businessVerified: config.businessVerified,
      });
      created = true;
    } catch (err) {
      // Nodes of a cluster starting at once on a new database: another one created it meanwhile.
      if (!(err instanceof AdminError && err.kind === "conflict")) throw err;
    }
  }
  if (!created) await changeAccount(ctx, SEED.accountId, { businessVerified: config.businessVerified });
  // The configured key replaces the seeded one (the key of the release before keys had ids kept
  // this id too); without one, a new install gets a random key, shown once at this start.
  const seedKeyId = `key-${SEED.accountId}`;
  const keys = await storage.apiKeys.listKeys(SEED.accountId);
  let apiKey: string | undefined;
  if (config.apiKey)
    apiKey = (await createApiKey(ctx, SEED.accountId, { fixed: { id: seedKeyId, secret: config.apiKey } }))
      .secret;
  else if (!keys.some((k) => k.revokedAt === undefined))
    apiKey = (await createApiKey(ctx, SEED.accountId)).secret;
  // Each face's settings and sender alias, under the names that face reads them by (its *-settings.ts).
  if (config.deliveryUrl !== undefined || config.inboundUrl !== undefined) {
    await storage.catalog.updateAccountSettings(SEED.accountId, "infobip", {
      ...(config.deliveryUrl !== undefined ? { deliveryUrl: config.deliveryUrl } : {}),
      ...(config.inboundUrl !== undefined ? { inboundUrl: config.inboundUrl } : {}),
    });
  }
  // Infobip turns mark-as-read on per account; for the seeded one the configuration says (until accounts have an API).
  await storage.catalog.updateAccountSettings(SEED.accountId, "infobip", {
    markAsRead: config.markAsRead ? "true" : null,
  });
  if (config.metaWebhookUrl || config.metaAppSecret || config.metaVerifyToken || config.sinchCallbackUrl) {
    // These replace what was stored: a setting no longer configured is removed.
    await storage.catalog.updateAccountSettings(SEED.accountId, "meta", {
      webhookUrl: config.metaWebhookUrl ?? null,
      appSecret: config.metaAppSecret ?? null,
      verifyToken: config.metaVerifyToken ?? null,
    });
    await storage.catalog.updateAccountSettings(SEED.accountId, "sinch", {
      callbackUrl: config.sinchCallbackUrl ?? null,
    });
  }
  const wabaId = config.metaWabaId;
  await registerSender(ctx, SEED.accountId, {
    number: config.sender,
    wabaId,
    metaPhoneNumberId: config.metaPhoneNumberId,
    sinchBotId: config.sinchBotId,
    throughputMps: config.throughputMps,
    carrier: seededCarrier(config),
  });

  const templates = await storage.catalog.findTemplatesByName(wabaId, SEED.templateName);
  let template = templates.find((t) => t.language === SEED.templateLanguage);
  if (!template && !(await storage.catalog.nameLockedUntil(wabaId, SEED.templateName, ctx.clock.now()))) {
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
    await storage.catalog.insertTemplate(template);
  }
  const stored = (await storage.catalog.getAccount(SEED.accountId)) as Account;
  return {
    account: stored,
    ...(apiKey !== undefined ? { apiKey } : {}),
    sender: config.sender,
    template: template as Template,
  };
}

/** The seeded sender's carrier: Meta's Cloud API once OPENBSP_META_CARRIER_URL is set (config checks the rest). */
function seededCarrier(config: Config): SenderCarrier {
  if (config.metaCarrierUrl === undefined) return { kind: "sandbox" };
  return {
    kind: "meta",
    baseUrl: config.metaCarrierUrl,
    version: config.metaCarrierVersion,
    phoneNumberId: config.metaCarrierPhoneNumberId ?? "",
    wabaId: config.metaCarrierWabaId ?? "",
    accessToken: config.metaCarrierToken ?? "",
    appSecret: config.metaCarrierAppSecret ?? "",
    verifyToken: config.metaCarrierVerifyToken ?? "",
  };
}
