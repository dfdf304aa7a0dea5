/** What Infobip's face keeps on an account, under the dialect name "infobip": its webhook URLs. */
import type { Account } from "../../core/account.ts";

export const INFOBIP_DIALECT = "infobip";

/** Default URL for delivery and seen reports when a message names no notifyUrl. */
export function deliveryUrlOf(account: Account): string | undefined {
  return account.settings?.[INFOBIP_DIALECT]?.deliveryUrl;
}

/** Where inbound messages are forwarded. */
export function inboundUrlOf(account: Account): string | undefined {
  return account.settings?.[INFOBIP_DIALECT]?.inboundUrl;
}
