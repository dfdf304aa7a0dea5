/**
 * A carrier delivers messages: the simulated WhatsApp network, Meta's Cloud API, or SMS. `send`
 * answers at once for each message; what happens later (delivered, read) the carrier reports
 * through the event sink it was built with.
 */
import type { StoredMessage } from "../core/message.ts";
import type { WhatsAppError } from "../core/message-status.ts";

export type SendOutcome =
  /** Handed over; delivery and read events will follow (naming the message by `carrierId`, if given). */
  | { readonly kind: "sent"; readonly carrierId?: string }
  /** Handed over and already on the handset; a read event may follow. */
  | { readonly kind: "delivered" }
  /** Refused for good. */
  | { readonly kind: "failed"; readonly error: WhatsAppError }
  /** Not now (phone offline, carrier busy): try again later, not before `afterMs` if given. */
  | { readonly kind: "retry"; readonly reason: string; readonly afterMs?: number };

export interface Carrier {
  readonly name: string;
  /** One outcome per message, in order. Must tolerate a message it has already been given. */
  send(messages: readonly StoredMessage[], now: number): Promise<SendOutcome[]>;
}
