/**
 * An account's event subscriptions, notification profiles and security settings (Infobip's
 * Subscriptions API), and each subscription's signing secrets: rows of their own, so two changes
 * to one account's subscriptions made at once (on one node or two) are both kept — no change
 * rewrites what it did not name. A write that names several rows (a subscription and its inline
 * profile and security) is one transaction.
 *
 * `subscriptionsOf` is read for every event routed: adapters cache it per account, dropped by their
 * own writes at once and, where several nodes share the store, by the other nodes' within a second.
 */
import type {
  AccountSubscriptions,
  EventSubscription,
  NotificationProfile,
  SubscriptionSigning,
  WebhookCredentials,
} from "../core/event-subscription.ts";

/** Rows written with a subscription or a profile, in the same transaction (each created or replaced). */
export interface AlongWith {
  readonly profile?: NotificationProfile;
  readonly security?: { readonly authId: string; readonly credentials: WebhookCredentials };
}

/** Why a delete did nothing: there was no such row, or another row still uses it. */
export type DeleteOutcome = "deleted" | "missing" | "in-use";

export interface SubscriptionStore {
  /** The account's subscriptions, profiles, security settings and signing secrets (none: all empty). */
  subscriptionsOf(accountId: string): Promise<AccountSubscriptions>;
  /**
   * Adds the subscription (with its first signing secret, and the rows `along` names); false, and
   * nothing written, when the account has a subscription of that id.
   */
  createSubscription(
    accountId: string,
    subscription: EventSubscription,
    signing: SubscriptionSigning,
    along?: AlongWith,
  ): Promise<boolean>;
  /** Replaces the subscription of that id and channel (its secrets stay); false when there is none. */
  updateSubscription(accountId: string, subscription: EventSubscription, along?: AlongWith): Promise<boolean>;
  /** Deletes the subscription and its secrets; false when there was none. */
  deleteSubscription(accountId: string, channel: string, subscriptionId: string): Promise<boolean>;
  /** Sets the subscription's signing secrets; false when there is no such subscription. */
  setSigning(accountId: string, subscriptionId: string, signing: SubscriptionSigning): Promise<boolean>;
  /** Adds the profile (and its security, if given); false, and nothing written, when the id is taken. */
  createProfile(accountId: string, profile: NotificationProfile, along?: AlongWith): Promise<boolean>;
  /** Replaces the profile (and sets its security, if given); false when there is none. */
  updateProfile(accountId: string, profile: NotificationProfile, along?: AlongWith): Promise<boolean>;
  /** Deletes a profile no subscription uses. */
  deleteProfile(accountId: string, profileId: string): Promise<DeleteOutcome>;
  /** Adds security settings; false, and nothing written, when the id is taken. */
  createSecurity(accountId: string, authId: string, credentials: WebhookCredentials): Promise<boolean>;
  /** Replaces the credentials of existing security settings; false when there are none. */
  updateSecurity(accountId: string, authId: string, credentials: WebhookCredentials): Promise<boolean>;
  /** Deletes security settings no profile uses. */
  deleteSecurity(accountId: string, authId: string): Promise<DeleteOutcome>;
  /** Everything of the account's (it is being deleted). */
  deleteAccountSubscriptions(accountId: string): Promise<void>;
}
