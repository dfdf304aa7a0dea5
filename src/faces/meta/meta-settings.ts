/**
 * What Meta's face keeps on the core's records, under names it chooses: an account's webhook
 * subscription (its settings for the dialect "meta") and a sender's phone number id (an alias).
 */
import type { Account, Sender } from "../../core/account.ts";

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
