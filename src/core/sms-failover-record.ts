/** An SMS failover under way or done: the message it stands in for, and where the SMS is. */
import type { SmsOutcome, SmsState } from "./sms-failover.ts";

export interface SmsFailoverRecord {
  /** The WhatsApp message's seq. */
  readonly seq: number;
  readonly accountId: string;
  readonly messageId: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly segments: number;
  readonly state: SmsState;
  /** The SMSC's id for the submitted SMS (what its delivery receipt names). */
  readonly smscId?: string;
  readonly outcome?: SmsOutcome;
  readonly attempts: number;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly submittedAt?: number;
}
