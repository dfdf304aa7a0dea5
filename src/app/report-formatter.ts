/**
 * How a face words the reports it owes: each dialect has its own delivery, seen and inbound
 * payloads. The core decides that a report is owed; the face's formatter decides what it looks like.
 */
import type { Sender } from "../core/account.ts";
import type { InboundMessage } from "../core/inbound.ts";
import type { Face, StoredMessage } from "../core/message.ts";

export interface ReportFormatter {
  /** The delivery outcomes of `messages` (statuses already updated), in one webhook body. */
  delivery(messages: readonly StoredMessage[]): string;
  /** The seen receipts of `messages`, in one webhook body. */
  seen(messages: readonly StoredMessage[]): string;
  /** An inbound message from a user to `sender`. */
  inbound(message: InboundMessage, sender: Sender): string;
}

export type ReportFormatters = Readonly<Partial<Record<Face, ReportFormatter>>>;
