/**
 * What Infobip's face keeps on an account, under the dialect name "infobip": its webhook URLs and
 * the features Infobip turns on per account.
 */
import type { Account, Sender } from "../../core/account.ts";
import type { EventSubscription, NotificationProfile } from "../../core/event-subscription.ts";

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

export function subscriptionsOf(account: Account): EventSubscription[] {
  const raw = account.settings?.[INFOBIP_DIALECT]?.[SUBSCRIPTIONS];
  return raw ? (JSON.parse(raw) as EventSubscription[]) : [];
}

export function profilesOf(account: Account): NotificationProfile[] {
  const raw = account.settings?.[INFOBIP_DIALECT]?.[PROFILES];
  return raw ? (JSON.parse(raw) as NotificationProfile[]) : [];
}
