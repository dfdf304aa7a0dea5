/** The SMS a template send asks to go instead, should WhatsApp not deliver it (see sms-failover.ts). */
export interface SmsFailover {
  /** The SMS sender: a number in international format or an alphanumeric sender id. */
  readonly from: string;
  readonly text: string;
}
