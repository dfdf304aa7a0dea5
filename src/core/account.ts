/** Who sends: an account (API keys, webhook settings per face), its WABAs and sender numbers. */
export interface Account {
  readonly id: string;
  readonly name: string;
  readonly apiKey: string;
  /** Verified businesses get templates approved at once; others wait for review. */
  readonly businessVerified: boolean;
  /** Infobip face: default URL for delivery and seen reports when a message names no notifyUrl. */
  readonly deliveryUrl?: string;
  /** Infobip face: where inbound messages are forwarded. */
  readonly inboundUrl?: string;
  /** Meta Cloud API face: the app's webhook subscription. */
  readonly meta?: MetaWebhookSettings;
  /** Sinch face: the bot's callback. */
  readonly sinch?: SinchCallbackSettings;
}

/** As configured on a Meta app: one callback URL for statuses and messages, signed with the app secret. */
export interface MetaWebhookSettings {
  readonly webhookUrl?: string;
  /** Key of the X-Hub-Signature-256 HMAC; unsigned when absent. */
  readonly appSecret?: string;
  /** Echoed in the subscription handshake (`hub.verify_token`). */
  readonly verifyToken?: string;
}

export interface SinchCallbackSettings {
  /** Delivery reports (unless a send names its own `callback`) and inbound messages. */
  readonly callbackUrl?: string;
}

export interface Sender {
  /** The sender's phone number in international format, digits only. */
  readonly number: string;
  readonly accountId: string;
  readonly wabaId: string;
  /** The number's id on Meta's Cloud API face (`POST /{phone-number-id}/messages`): numeric, like Meta's. */
  readonly metaPhoneNumberId: string;
  /** The number's bot id on Sinch's face (`POST /whatsapp/v1/{bot-id}/messages`). */
  readonly sinchBotId: string;
}
