/**
 * What Sinch's face keeps on the core's records, under names it chooses: an account's bot callback
 * (its settings for the dialect "sinch") and a sender's bot id (an alias).
 */
import type { Account, Sender } from "../../core/account.ts";

export const SINCH_DIALECT = "sinch";
/** The alias kind of a sender's bot id (`POST /whatsapp/v1/{bot-id}/messages`). */
export const SINCH_BOT_ID = "sinchBotId";

/** Delivery reports (unless a send names its own `callback`) and inbound messages go here. */
export function sinchCallbackUrl(account: Account): string | undefined {
  return account.settings?.[SINCH_DIALECT]?.callbackUrl;
}

export function botIdOf(sender: Sender): string {
  return sender.aliases[SINCH_BOT_ID] ?? "";
}
