/**
 * What Infobip's face keeps on an account, under the dialect name "infobip": its webhook URLs and
 * the features Infobip turns on per account.
 */
import type { Account, Sender } from "../../core/account.ts";
import type {
  EventSubscription,
  NotificationProfile,
  WebhookCredentials,
} from "../../core/event-subscription.ts";

export const INFOBIP_DIALECT = "infobip";

/** Default URL for delivery and seen reports when a message names no notifyUrl. */
export function deliveryUrlOf(account: Account): string | undefined {
  return account.settings?.[INFOBIP_DIALECT]?.deliveryUrl;
}

/** Where inbound messages are forwarded. */
export function inboundUrlOf(account: Account): string | undefined {
  return account.settings?.[INFOBIP_DIALECT]?.inboundUrl;
}

/** The setting that lets an account mark inbound messages read ("true"); Infobip keeps it off by default (seed 002). */
export const MARK_AS_READ = "markAsRead";

/** The sender's own setting (admin API) wins; else the account's. */
export function markAsReadEnabled(account: Account, sender: Sender): boolean {
  return sender.settings?.markAsRead ?? account.settings?.[INFOBIP_DIALECT]?.[MARK_AS_READ] === "true";
}

/** The account's event subscriptions and notification profiles (Subscriptions API), kept as JSON. */
export const SUBSCRIPTIONS = "subscriptions";
export const PROFILES = "profiles";

/**
 * The lists parsed once per stored text: they are read for every report a subscription may take
 * and every POST it routes, and change rarely. Callers get a copy of the list (not of its items).
 */
const parsed = new Map<string, unknown[]>();
function parseList<T>(raw: string | undefined): T[] {
  if (!raw) return [];
  let list = parsed.get(raw);
  if (!list) {
    if (parsed.size >= 256) parsed.clear();
    list = JSON.parse(raw) as unknown[];
    parsed.set(raw, list);
  }
  return [...list] as T[];
}

export function subscriptionsOf(account: Account): EventSubscription[] {
  return parseList<EventSubscription>(account.settings?.[INFOBIP_DIALECT]?.[SUBSCRIPTIONS]);
}

export function profilesOf(account: Account): NotificationProfile[] {
  return parseList<NotificationProfile>(account.settings?.[INFOBIP_DIALECT]?.[PROFILES]);
}

/**
 * The profiles' security settings by `authId`, with their credentials: kept under a name the
 * settings view redacts, never in the profiles' JSON (which the admin API shows).
 */
export const SECURITY_SECRETS = "securitySecrets";

export function securitySecretsOf(account: Account): Record<string, WebhookCredentials> {
  const raw = account.settings?.[INFOBIP_DIALECT]?.[SECURITY_SECRETS];
  return raw ? (JSON.parse(raw) as Record<string, WebhookCredentials>) : {};
}

/** The `Authorization` header a subscription's webhooks carry (its profile's BASIC security), if any. */
export function subscriptionAuthorization(account: Account, subscriptionId: string): string | undefined {
  const s = subscriptionsOf(account).find((x) => x.subscriptionId === subscriptionId);
  const authId = s && profilesOf(account).find((p) => p.profileId === s.profileId)?.authId;
  const c = authId !== undefined ? securitySecretsOf(account)[authId] : undefined;
  return c?.type === "BASIC"
    ? `Basic ${Buffer.from(`${c.username}:${c.password}`, "utf8").toString("base64")}`
    : undefined;
}
