/**
 * The status machine of an outbound message. Statuses only move forward
 * (accepted → sent → delivered → seen); failed and expired are terminal. Carrier events may arrive
 * late, twice or out of order, so every event goes through `applyEvent`, which ignores what would
 * move a message backwards and tells which reports the move owes the business.
 */
import { WA, type WhatsAppError } from "./whatsapp-errors.ts";

export type { WhatsAppError } from "./whatsapp-errors.ts";

export type MessageStatus = "accepted" | "sent" | "delivered" | "seen" | "failed" | "expired";

/** The statuses of a message WhatsApp could not deliver. */
export type FailedStatus = "failed" | "expired";

/** Where a message stands: one WhatsApp could not deliver always says why, and only such a one does. */
export type MessageState =
  | { readonly status: Exclude<MessageStatus, FailedStatus>; readonly error?: undefined }
  | { readonly status: FailedStatus; readonly error: WhatsAppError };

/** Did WhatsApp give up on the message (failed or expired)? Narrows to the state that carries the error. */
export function isFailure<T extends MessageState>(
  state: T,
): state is Extract<T, { readonly status: FailedStatus }> {
  return state.status === "failed" || state.status === "expired";
}

/** The state a stored status and error make; a failure stored without its error reads as WhatsApp's generic one. */
export function messageState(status: MessageStatus, error: WhatsAppError | undefined): MessageState {
  if (status === "failed" || status === "expired") return { status, error: error ?? WA.unknown };
  return { status };
}

/** What a carrier (or the dispatcher) can say about a message. */
export type CarrierEvent =
  | { readonly kind: "sent"; readonly at: number }
  | { readonly kind: "delivered"; readonly at: number }
  | { readonly kind: "seen"; readonly at: number }
  | { readonly kind: "failed"; readonly at: number; readonly error: WhatsAppError }
  | { readonly kind: "expired"; readonly at: number };

/**
 * A report owed to the business: handed to WhatsApp (only some dialects report it), the delivery
 * outcome (delivered, failed or expired), or the seen receipt.
 */
export type ReportKind = "sent" | "delivery" | "seen";

/** A move of the status machine: the new state (a failure with its error), its times and the reports it owes. */
export type Transition = MessageState & {
  readonly sentAt?: number;
  readonly doneAt?: number;
  readonly seenAt?: number;
  readonly reports: readonly ReportKind[];
};

const RANK: Record<MessageStatus, number> = {
  accepted: 0,
  sent: 1,
  delivered: 2,
  seen: 3,
  failed: 9,
  expired: 9,
};

/** The transition `event` causes from `current`, or undefined when the event changes nothing. */
export function applyEvent(current: MessageStatus, event: CarrierEvent): Transition | undefined {
  const rank = RANK[current];
  switch (event.kind) {
    case "sent":
      return rank < 1 ? { status: "sent", sentAt: event.at, reports: ["sent"] } : undefined;
    case "delivered":
      if (rank >= 2) return undefined;
      return rank < 1
        ? { status: "delivered", sentAt: event.at, doneAt: event.at, reports: ["sent", "delivery"] }
        : { status: "delivered", doneAt: event.at, reports: ["delivery"] };
    case "seen":
      if (rank >= 3) return undefined;
      // A seen receipt implies delivery: if it overtook the delivery event, report both.
      if (rank < 1)
        return {
          status: "seen",
          sentAt: event.at,
          doneAt: event.at,
          seenAt: event.at,
          reports: ["sent", "delivery", "seen"],
        };
      return rank < 2
        ? { status: "seen", doneAt: event.at, seenAt: event.at, reports: ["delivery", "seen"] }
        : { status: "seen", seenAt: event.at, reports: ["seen"] };
    case "failed":
      return rank < 2
        ? { status: "failed", error: event.error, doneAt: event.at, reports: ["delivery"] }
        : undefined;
    case "expired":
      return rank < 2
        ? { status: "expired", error: EXPIRED_ERROR, doneAt: event.at, reports: ["delivery"] }
        : undefined;
    default:
      return assertNever(event);
  }
}

/** What an expired message reports (the catalogue's entry). */
export const EXPIRED_ERROR: WhatsAppError = WA.messageExpired;

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
