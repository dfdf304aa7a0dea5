/**
 * What Meta's face keeps on the core's records, under names it chooses: an account's webhook
 * configuration (its settings for the dialect "meta") and a sender's phone number id (an alias).
 *
 * The webhook configuration has Meta's levels (webhooks/override): the account's default callback
 * (admin API `meta.webhookUrl`), the app's subscription (`/{app-id}/subscriptions`: callback URL and
 * fields), a WABA's override (`/{waba-id}/subscribed_apps` `override_callback_uri`) and a phone
 * number's (`POST /{phone-number-id}` `webhook_configuration`). Each is a settings key of its own,
 * so two changes never overwrite each other. Verify tokens are used for the handshake and not kept.
 */
import { createHash } from "node:crypto";
import type { Account, Sender } from "../../core/account.ts";
import { type CallbackLevels, callbackFor } from "../../core/callback-levels.ts";
import type { EventFacts } from "../../core/event-subscription.ts";

export const META_DIALECT = "meta";
/** The alias kind of a sender's phone number id (`POST /{phone-number-id}/messages`): numeric, like Meta's. */
export const META_PHONE_NUMBER_ID = "metaPhoneNumberId";

/** As configured on a Meta app: one callback URL for statuses and messages, signed with the app secret. */
export interface MetaWebhookSettings {
  readonly webhookUrl?: string;
  /** Key of the X-Hub-Signature-256 HMAC; unsigned when absent. */
  readonly appSecret?: string;
  /** Echoed in the subscription handshake (`hub.verify_token`). */
  readonly verifyToken?: string;
}

export function metaSettings(account: Account): MetaWebhookSettings | undefined {
  return account.settings?.[META_DIALECT];
}

export function phoneNumberIdOf(sender: Sender): string {
  return sender.aliases[META_PHONE_NUMBER_ID] ?? "";
}

/**
 * The id of the account's Meta app (`/{app-id}/subscriptions`): numeric like Meta's, derived from
 * the account id, so every account has one from its creation on, the same on every node and start.
 * It starts with 9 so it never meets the phone number and WABA ids OpenBSP hands out (1000…).
 */
export function metaAppIdOf(account: Pick<Account, "id">): string {
  const n = BigInt(
    `0x${createHash("sha256").update(`meta-app\u0000${account.id}`).digest("hex").slice(0, 15)}`,
  );
  return `9${(n % 10n ** 15n).toString().padStart(15, "0")}`;
}

/** The only Graph object an app subscribes to on OpenBSP. */
export const WABA_OBJECT = "whatsapp_business_account";
/** The settings keys of the webhook levels. */
export const APP_CALLBACK_URL = "appCallbackUrl";
export const APP_FIELDS = "appFields";
export const WABA_CALLBACK = (wabaId: string) => `callback.waba.${wabaId}`;
export const NUMBER_CALLBACK = (number: string) => `callback.number.${number}`;

/** The fields of `whatsapp_business_account` an app may subscribe to (Meta's webhook reference). */
export const WABA_FIELDS = [
  "account_alerts",
  "account_review_update",
  "account_settings_update",
  "account_update",
  "automatic_events",
  "business_capability_update",
  "business_status_update",
  "calls",
  "flows",
  "history",
  "message_echoes",
  "message_template_components_update",
  "message_template_quality_update",
  "message_template_status_update",
  "messages",
  "messaging_handovers",
  "partner_solutions",
  "payment_configuration_update",
  "phone_number_name_update",
  "phone_number_quality_update",
  "security",
  "smb_app_state_sync",
  "smb_message_echoes",
  "template_category_update",
  "tracking_events",
  "user_preferences",
] as const;

/** The fields whose webhooks a WABA or phone number override may redirect; the rest go to the app's callback. */
const OVERRIDABLE = new Set(["messages", "message_echoes", "calls", "history", "account_settings_update"]);

/** The app's subscription to `whatsapp_business_account`, if it has one. */
export function appSubscriptionOf(account: Account): { url: string; fields: string[] } | undefined {
  const s = account.settings?.[META_DIALECT];
  const url = s?.[APP_CALLBACK_URL];
  return url ? { url, fields: (s?.[APP_FIELDS] ?? "").split(",").filter(Boolean) } : undefined;
}

/** The override callback URL of one WABA or sender number, if set. */
export const wabaCallbackOf = (account: Account, wabaId: string) =>
  account.settings?.[META_DIALECT]?.[WABA_CALLBACK(wabaId)];
export const numberCallbackOf = (account: Account, number: string) =>
  account.settings?.[META_DIALECT]?.[NUMBER_CALLBACK(number)];

/** The levels that can apply to an event about `facts` (looked up by key: no walk over every override). */
function levelsFor(account: Account, facts: EventFacts): CallbackLevels {
  const s = account.settings?.[META_DIALECT];
  const waba = facts.wabaId !== undefined ? s?.[WABA_CALLBACK(facts.wabaId)] : undefined;
  const number = facts.sender !== undefined ? s?.[NUMBER_CALLBACK(facts.sender)] : undefined;
  const app = appSubscriptionOf(account);
  const fallback = s?.webhookUrl;
  return {
    byWaba: waba && facts.wabaId !== undefined ? { [facts.wabaId]: waba } : {},
    bySender: number && facts.sender !== undefined ? { [facts.sender]: number } : {},
    ...(app ? { app } : {}),
    ...(fallback ? { fallback } : {}),
  };
}

/** Where a Meta webhook of `field` about `facts` goes: phone number > WABA > app > the account's default. */
export function metaCallbackFor(account: Account, field: string, facts: EventFacts): string | undefined {
  return callbackFor(levelsFor(account, facts), field, OVERRIDABLE.has(field), facts);
}

/** Per account record (the webhook sender holds one for a second): its Meta callback URLs. */
const urlsOf = new WeakMap<Account, Set<string>>();

/** Every URL the account's Meta webhooks may go to (they are signed Meta's way, not Standard Webhooks'). */
export function metaCallbackUrls(account: Account): Set<string> {
  const known = urlsOf.get(account);
  if (known) return known;
  const s = account.settings?.[META_DIALECT] ?? {};
  const urls = new Set<string>();
  for (const [k, v] of Object.entries(s))
    if (k === "webhookUrl" || k === APP_CALLBACK_URL || k.startsWith("callback.")) urls.add(v);
  urlsOf.set(account, urls);
  return urls;
}
