/**
 * The SMS carrier port: submits an SMS and later hears, through the receipt handler it was built
 * with, how it ended. SmppClient implements it against any SMPP 3.4 SMSC (the simulated one or a
 * real one).
 */
export interface OutboundSms {
  readonly from: string;
  readonly to: string;
  readonly text: string;
  /** How long the SMSC may keep trying (SMPP validity_period). */
  readonly validForMs: number;
}

export type SubmitResult =
  /** The SMSC took it; its receipt will name `smscId`. */
  | { readonly kind: "accepted"; readonly smscId: string }
  /** The SMSC refused it for good (e.g. an invalid destination). */
  | { readonly kind: "refused"; readonly reason: string }
  /** Not now (not connected, throttled, no answer): try again later. */
  | { readonly kind: "retry"; readonly reason: string };

export interface SmsGateway {
  submit(sms: OutboundSms): Promise<SubmitResult>;
}
