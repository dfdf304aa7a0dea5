/**
 * SMS failover: a template message may carry an SMS to send instead when WhatsApp cannot deliver
 * it. The core decides when failover applies and what a valid failover looks like; the SMS itself
 * travels over SMPP at the edge (carriers/sms) and its outcome is recorded as an SmsOutcome.
 */
import type { FieldError } from "./field-error.ts";
import type { StoredMessage } from "./message.ts";
import type { Transition } from "./message-status.ts";
import type { SmsFailover } from "./sms-failover-request.ts";

export type { SmsFailover } from "./sms-failover-request.ts";

/** How long an SMS may wait for submission or its delivery receipt (Infobip's default validity). */
export const SMS_VALIDITY_MS = 48 * 3_600_000;

/** Where a failover SMS is in its life; the last four are final. */
export type SmsState = "pending" | "submitted" | "delivered" | "undeliverable" | "expired" | "rejected";

/** The final outcome of an SMS: from the SMSC's delivery receipt, its refusal, or its validity running out. */
export interface SmsOutcome {
  readonly state: Exclude<SmsState, "pending" | "submitted">;
  readonly at: number;
  /** The network's error code (GSM MAP numbering in receipts), 0 for none. */
  readonly errorCode: number;
  /** Why, in words (e.g. the SMPP status that refused the submission). */
  readonly reason?: string;
}

/**
 * Does this move of a message end WhatsApp's attempt so that its SMS failover must go? Only a
 * template with a failover, and only when WhatsApp could not deliver it (failed or expired);
 * delivered and seen never do.
 */
export function triggersFailover(message: StoredMessage, transition: Transition): boolean {
  if (!message.smsFailover || message.content.type !== "template") return false;
  return transition.status === "failed" || transition.status === "expired";
}

const NUMBER = /^\+?[1-9]\d{2,14}$/;
const ALPHANUMERIC = /^(?=.*[A-Za-z])[A-Za-z0-9 ._&-]{1,11}$/;

/** A failover's own rules, with paths relative to the failover object. */
export function checkSmsFailover(f: SmsFailover): FieldError[] {
  const errors: FieldError[] = [];
  if (!NUMBER.test(f.from) && !ALPHANUMERIC.test(f.from)) {
    errors.push({
      field: "from",
      message:
        "must be a number in international format (3 to 15 digits) or an alphanumeric sender id of at most 11 characters",
    });
  }
  if (f.text.trim() === "") errors.push({ field: "text", message: "must not be blank" });
  return errors;
}
