/**
 * What Infobip's face keeps on an account, under the dialect name "infobip": its webhook URLs and
 * the features Infobip turns on per account.
 */
import type { Account, Sender } from "../../core/account.ts";
import type { AccountSubscriptions } from "../../core/event-subscription.ts";

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

/**
 * The `Authorization` header a subscription's webhooks carry (its profile's BASIC security), if any.
 * The subscriptions, profiles and security settings are the SubscriptionStore's.
 */
export function subscriptionAuthorization(
  subscriptions: AccountSubscriptions,
  subscriptionId: string,
): string | undefined {
  const s = subscriptions.subscriptions.find((x) => x.subscriptionId === subscriptionId);
  const authId = s && subscriptions.profiles.find((p) => p.profileId === s.profileId)?.authId;
  const c = authId !== undefined ? subscriptions.security[authId] : undefined;
  return c?.type === "BASIC"
    ? `Basic ${Buffer.from(`${c.username}:${c.password}`, "utf8").toString("base64")}`
    : undefined;
}
