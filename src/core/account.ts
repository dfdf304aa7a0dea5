/** Who sends: an account (API keys, webhook URLs), its WhatsApp Business Accounts and sender numbers. */
export interface Account {
  readonly id: string;
  readonly name: string;
  readonly apiKey: string;
  /** Verified businesses get templates approved at once; others wait for review. */
  readonly businessVerified: boolean;
  /** Default URL for delivery and seen reports when a message names no notifyUrl. */
  readonly deliveryUrl?: string;
  /** Where inbound messages are forwarded. */
  readonly inboundUrl?: string;
}

export interface Sender {
  /** The sender's phone number in international format, digits only. */
  readonly number: string;
  readonly accountId: string;
  readonly wabaId: string;
}
